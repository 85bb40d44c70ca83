using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;

namespace Exchange.Core.Ledger;

/// <summary>
/// The header of DESIGN.md section 4. <see cref="AppHash"/> is the state after the previous block
/// (as in CometBFT), so a block can be proposed before its own transactions are executed.
/// <see cref="TimeUnixMs"/> is the time consensus agreed on; the state machine reads no other clock.
/// <see cref="LiquidationsHash"/> commits to the liquidation candidates the proposer put in the block, and
/// <see cref="LastCommitHash"/> to the carried commit with its vote extensions (the oracle's input), and
/// <see cref="EvidenceHash"/> to the equivocation evidence the block carries (zero for none).
/// </summary>
public sealed record BlockHeader(
    string ChainId,
    ulong Height,
    uint Round,
    long TimeUnixMs,
    Hash32 PrevBlockHash,
    Hash32 TxRoot,
    Hash32 AppHash,
    Hash32 ValidatorsHash,
    PublicKey Proposer,
    Hash32 LiquidationsHash = default,
    Hash32 LastCommitHash = default,
    Hash32 EvidenceHash = default)
{
    public const byte CurrentVersion = 1;
    public const string HashTag = "exchange/block-header/v1";

    public void WriteTo(CanonicalWriter w)
    {
        w.WriteByte(CurrentVersion);
        w.WriteText(ChainId, Names.MaxChainIdLength);
        w.WriteVarUInt(Height);
        w.WriteVarUInt(Round);
        w.WriteVarInt(TimeUnixMs);
        w.WriteHash(PrevBlockHash);
        w.WriteHash(TxRoot);
        w.WriteHash(AppHash);
        w.WriteHash(ValidatorsHash);
        w.WritePublicKey(Proposer);
        w.WriteHash(LiquidationsHash);
        w.WriteHash(LastCommitHash);
        w.WriteHash(EvidenceHash);
    }

    internal static BlockHeader Read(ref CanonicalReader r)
    {
        var version = r.ReadByte("header.version");
        if (version != CurrentVersion) throw new DecodeException(DecodeError.UnknownVersion, $"block header version {version}");
        return new BlockHeader(
            r.ReadText("header.chain_id", Names.MaxChainIdLength),
            r.ReadVarUInt("header.height"),
            r.ReadVarUInt32("header.round"),
            r.ReadVarInt("header.time"),
            r.ReadHash("header.prev_block_hash"),
            r.ReadHash("header.tx_root"),
            r.ReadHash("header.app_hash"),
            r.ReadHash("header.validators_hash"),
            r.ReadPublicKey("header.proposer"),
            r.ReadHash("header.liquidations_hash"),
            r.ReadHash("header.last_commit_hash"),
            r.ReadHash("header.evidence_hash"));
    }

    /// <summary>The block hash: what validators vote for and the next header links to.</summary>
    public Hash32 Hash()
    {
        var w = new CanonicalWriter(256);
        WriteTo(w);
        return Hash32.Tagged(HashTag, w.Written);
    }
}
