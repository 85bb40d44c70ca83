using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;

namespace Exchange.Core.Ledger;

/// <summary>
/// The signed part of a consensus vote ⟨type, h, r, id(v)⟩: what a validator's signature covers, without the vote
/// extension (which carries a signature of its own). Consensus signs and verifies votes through
/// <see cref="SigningHash(string, VoteType, ulong, uint, in Hash32)"/>, so the ledger can check a vote carried as
/// evidence without the consensus library. <see cref="BlockHash"/> zero is nil.
/// </summary>
public sealed record SignedVote(VoteType Type, ulong Height, uint Round, Hash32 BlockHash, PublicKey Validator, Signature Signature)
{
    public const string PrevoteTag = "exchange/prevote/v1";

    /// <summary>
    /// The message a validator signs for a vote: chain, height, round and block hash under the vote type's own tag.
    /// A precommit signs exactly <see cref="Commit.PrecommitSigningHash"/>, so precommits make a commit.
    /// </summary>
    public static Hash32 SigningHash(string chainId, VoteType type, ulong height, uint round, in Hash32 blockHash)
    {
        if (type == VoteType.Precommit) return Commit.PrecommitSigningHash(chainId, height, round, blockHash);
        if (type != VoteType.Prevote) throw new ArgumentOutOfRangeException(nameof(type), type, "unknown vote type");
        var w = new CanonicalWriter(96);
        w.WriteText(chainId, Names.MaxChainIdLength);
        w.WriteVarUInt(height);
        w.WriteVarUInt(round);
        w.WriteHash(blockHash);
        return Hash32.Tagged(PrevoteTag, w.Written);
    }

    public Hash32 SigningHash(string chainId) => SigningHash(chainId, Type, Height, Round, BlockHash);

    public bool VerifySignature(string chainId) => Schnorr.Verify(Validator, SigningHash(chainId), Signature) == SignatureCheck.Valid;

    /// <summary><c>type u8 ‖ height uvarint ‖ round uvarint ‖ block_hash ‖ validator ‖ signature</c>.</summary>
    public void WriteTo(CanonicalWriter w)
    {
        w.WriteByte((byte)Type);
        w.WriteVarUInt(Height);
        w.WriteVarUInt(Round);
        w.WriteHash(BlockHash);
        w.WritePublicKey(Validator);
        w.WriteSignature(Signature);
    }

    public static SignedVote Read(ref CanonicalReader r) => new(
        (VoteType)r.ReadEnum("vote.type", (byte)VoteType.Prevote, (byte)VoteType.Precommit),
        r.ReadVarUInt("vote.height"),
        r.ReadVarUInt32("vote.round"),
        r.ReadHash("vote.block_hash"),
        r.ReadPublicKey("vote.validator"),
        r.ReadSignature("vote.signature"));
}
