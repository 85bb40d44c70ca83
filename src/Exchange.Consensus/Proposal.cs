using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;

namespace Exchange.Consensus;

/// <summary>
/// ⟨PROPOSAL, h, r, v, vr⟩ of Algorithm 1, signed by the round's proposer. <see cref="PolRound"/> is the
/// round of the proposer's valid value (its proof-of-lock round), or -1. The block travels with the
/// proposal; the signature covers its hash.
/// </summary>
public sealed record Proposal(ulong Height, uint Round, int PolRound, Block Block, PublicKey Proposer, Signature Signature) : IConsensusMessage
{
    public const byte CurrentVersion = 1;
    public const int MaxEncodedLength = Block.MaxEncodedLength + 256;

    public Hash32 BlockHash => Block.Hash();

    /// <summary>The message the proposer signs, from <see cref="SignedProposal"/> in the ledger, which checks proposals carried as evidence.</summary>
    public Hash32 SigningHash(string chainId) => SignedProposal.SigningHash(chainId, Height, Round, PolRound, BlockHash);

    /// <summary>The proposal as its signature covers it (the block by its hash): what equivocation evidence carries.</summary>
    public SignedProposal ToSigned() => new(Height, Round, PolRound, BlockHash, Proposer, Signature);

    /// <param name="verify">How the signature is checked; <see cref="Schnorr.Verify(in PublicKey, in Hash32, in Signature)"/> when null.</param>
    public bool VerifySignature(string chainId, SignatureVerifier? verify = null) =>
        (verify ?? Schnorr.Verify)(Proposer, SigningHash(chainId), Signature) == SignatureCheck.Valid;

    public MessageValidation Validate()
    {
        if (Height == 0) return MessageValidation.Fail(MessageError.ZeroHeight, "proposals start at height 1");
        if (PolRound < -1 || PolRound >= Round)
            return MessageValidation.Fail(MessageError.PolRoundOutOfRange, $"proof-of-lock round {PolRound} is not in -1..{(long)Round - 1}");
        // The block may name another proposer: a valid value from an earlier round is proposed again as it is (line 16).
        if (Block.Header.Height != Height)
            return MessageValidation.Fail(MessageError.BlockMismatch, $"a block of height {Block.Header.Height} in a proposal for height {Height}");
        var block = Block.Validate();
        return block.IsValid ? MessageValidation.Ok : MessageValidation.Fail(MessageError.InvalidBlock, block.Message);
    }

    public byte[] Encode()
    {
        var w = new CanonicalWriter(EncodedLengthEstimate());
        WriteTo(w);
        return w.ToArray();
    }

    /// <summary>Writes <see cref="Encode"/>'s bytes, the block in place.</summary>
    public void WriteTo(CanonicalWriter w)
    {
        w.WriteByte(CurrentVersion);
        w.WriteVarUInt(Height);
        w.WriteVarUInt(Round);
        w.WriteVarInt(PolRound);
        var block = w.BeginNested();
        Block.WriteTo(w);
        w.EndNested(block);
        w.WritePublicKey(Proposer);
        w.WriteSignature(Signature);
    }

    /// <summary>A little more than the encoding takes (see <see cref="Block.EncodedLengthEstimate"/>).</summary>
    public int EncodedLengthEstimate() => Block.EncodedLengthEstimate() + 256;

    /// <summary>Decodes exactly one proposal and runs <see cref="Validate"/>; throws <see cref="DecodeException"/>.</summary>
    public static Proposal Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxEncodedLength) throw new DecodeException(DecodeError.MessageTooLarge, $"proposal of {bytes.Length} bytes exceeds {MaxEncodedLength}");
        var r = new CanonicalReader(bytes);
        var version = r.ReadByte("proposal.version");
        if (version != CurrentVersion) throw new DecodeException(DecodeError.UnknownVersion, $"proposal version {version}");
        var height = r.ReadVarUInt("proposal.height");
        var round = r.ReadVarUInt32("proposal.round");
        var polRound = r.ReadVarInt("proposal.pol_round");
        if (polRound < -1 || polRound > int.MaxValue) throw new DecodeException(DecodeError.ValueOutOfRange, $"proof-of-lock round {polRound}");
        var block = Block.Decode(r.ReadBytes("proposal.block", Block.MaxEncodedLength));
        var proposal = new Proposal(height, round, (int)polRound, block, r.ReadPublicKey("proposal.proposer"), r.ReadSignature("proposal.signature"));
        r.EnsureEnd("proposal");
        var check = proposal.Validate();
        if (!check.IsValid) throw new DecodeException(DecodeError.ValueOutOfRange, check.ToString());
        return proposal;
    }

    public static bool TryDecode(ReadOnlySpan<byte> bytes, out Proposal? proposal, out DecodeException? error) =>
        Decoding.TryDecode(Decode, bytes, out proposal, out error);
}
