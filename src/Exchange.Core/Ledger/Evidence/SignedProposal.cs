using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;

namespace Exchange.Core.Ledger;

/// <summary>
/// The signed part of a consensus proposal ⟨PROPOSAL, h, r, id(v), vr⟩: the proposer's signature covers the block
/// only through its hash, so a proposal carried as evidence needs no block. <see cref="PolRound"/> is the
/// proof-of-lock round, or -1.
/// </summary>
public sealed record SignedProposal(ulong Height, uint Round, int PolRound, Hash32 BlockHash, PublicKey Proposer, Signature Signature)
{
    public const string SigningTag = "exchange/proposal/v1";

    /// <summary>The message a proposer signs: chain, height, round, proof-of-lock round and block hash.</summary>
    public static Hash32 SigningHash(string chainId, ulong height, uint round, int polRound, in Hash32 blockHash)
    {
        var w = new CanonicalWriter(112);
        w.WriteText(chainId, Names.MaxChainIdLength);
        w.WriteVarUInt(height);
        w.WriteVarUInt(round);
        w.WriteVarInt(polRound);
        w.WriteHash(blockHash);
        return Hash32.Tagged(SigningTag, w.Written);
    }

    public Hash32 SigningHash(string chainId) => SigningHash(chainId, Height, Round, PolRound, BlockHash);

    public bool VerifySignature(string chainId) => Schnorr.Verify(Proposer, SigningHash(chainId), Signature) == SignatureCheck.Valid;

    /// <summary><c>height uvarint ‖ round uvarint ‖ pol_round varint ‖ block_hash ‖ proposer ‖ signature</c>.</summary>
    public void WriteTo(CanonicalWriter w)
    {
        w.WriteVarUInt(Height);
        w.WriteVarUInt(Round);
        w.WriteVarInt(PolRound);
        w.WriteHash(BlockHash);
        w.WritePublicKey(Proposer);
        w.WriteSignature(Signature);
    }

    public static SignedProposal Read(ref CanonicalReader r)
    {
        var height = r.ReadVarUInt("proposal.height");
        var round = r.ReadVarUInt32("proposal.round");
        var polRound = r.ReadVarInt("proposal.pol_round");
        if (polRound < -1 || polRound > int.MaxValue) throw new DecodeException(DecodeError.ValueOutOfRange, $"proof-of-lock round {polRound}");
        return new SignedProposal(height, round, (int)polRound, r.ReadHash("proposal.block_hash"), r.ReadPublicKey("proposal.proposer"), r.ReadSignature("proposal.signature"));
    }
}
