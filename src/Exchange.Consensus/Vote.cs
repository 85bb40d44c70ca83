using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;
using Exchange.Core.Oracle;

namespace Exchange.Consensus;

/// <summary>
/// A prevote or precommit of Algorithm 1: ⟨type, h, r, id(v)⟩ signed by <see cref="Validator"/>.
/// <see cref="BlockHash"/> zero is nil. A precommit for a block may carry the validator's signed price
/// observation (<see cref="Extension"/>); the extension has its own signature, so the precommit's signed
/// message is exactly <see cref="Commit.PrecommitSigningHash"/> and a commit built from precommits verifies. The signed
/// message comes from <see cref="SignedVote"/> in the ledger, which checks votes carried as evidence the same way.
/// </summary>
public sealed record Vote(VoteType Type, ulong Height, uint Round, Hash32 BlockHash, PublicKey Validator, PriceObservation? Extension, Signature Signature)
    : IConsensusMessage
{
    public const byte CurrentVersion = 1;
    public const int MaxEncodedLength = 256 + PriceObservation.MaxEncodedLength;

    public bool IsNil => BlockHash == Hash32.Zero;

    /// <summary>The message the validator signs. Precommits use the commit's own signing hash.</summary>
    public Hash32 SigningHash(string chainId) => SignedVote.SigningHash(chainId, Type, Height, Round, BlockHash);

    /// <summary>The vote as its signature covers it, without the extension: what equivocation evidence carries.</summary>
    public SignedVote ToSigned() => new(Type, Height, Round, BlockHash, Validator, Signature);

    /// <summary>Checks the vote's signature and, when present, its extension's, for <paramref name="chainId"/>.</summary>
    /// <param name="verify">How each signature is checked; <see cref="Schnorr.Verify(in PublicKey, in Hash32, in Signature)"/> when null.</param>
    public bool VerifySignatures(string chainId, SignatureVerifier? verify = null) =>
        (verify ?? Schnorr.Verify)(Validator, SigningHash(chainId), Signature) == SignatureCheck.Valid &&
        (Extension is null || Extension.Verify(chainId, verify) == SignatureCheck.Valid);

    public MessageValidation Validate()
    {
        if (Height == 0) return MessageValidation.Fail(MessageError.ZeroHeight, "votes start at height 1");
        if (Type is not (VoteType.Prevote or VoteType.Precommit)) return MessageValidation.Fail(MessageError.UnknownVoteType, $"vote type {(byte)Type}");
        if (Extension is null) return MessageValidation.Ok;
        if (Type != VoteType.Precommit || IsNil)
            return MessageValidation.Fail(MessageError.ExtensionNotAllowed, "only a precommit for a block carries an extension");
        if (Extension.Validator != Validator || Extension.Height != Height)
            return MessageValidation.Fail(MessageError.ExtensionMismatch, "the extension is not the voter's observation at this height");
        var check = Extension.Validate();
        return check.IsValid ? MessageValidation.Ok : MessageValidation.Fail(MessageError.ExtensionMismatch, check.ToString());
    }

    public byte[] Encode()
    {
        var w = new CanonicalWriter(192);
        WriteTo(w);
        return w.ToArray();
    }

    public void WriteTo(CanonicalWriter w)
    {
        w.WriteByte(CurrentVersion);
        w.WriteByte((byte)Type);
        w.WriteVarUInt(Height);
        w.WriteVarUInt(Round);
        w.WriteHash(BlockHash);
        w.WritePublicKey(Validator);
        w.WriteBool(Extension is not null);
        Extension?.WriteTo(w);
        w.WriteSignature(Signature);
    }

    /// <summary>Decodes exactly one vote and runs <see cref="Validate"/>; throws <see cref="DecodeException"/>.</summary>
    public static Vote Decode(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxEncodedLength, "vote", Read);

    public static Vote Read(ref CanonicalReader r)
    {
        var version = r.ReadByte("vote.version");
        if (version != CurrentVersion) throw new DecodeException(DecodeError.UnknownVersion, $"vote version {version}");
        var type = (VoteType)r.ReadEnum("vote.type", (byte)VoteType.Prevote, (byte)VoteType.Precommit);
        var vote = new Vote(
            type,
            r.ReadVarUInt("vote.height"),
            r.ReadVarUInt32("vote.round"),
            r.ReadHash("vote.block_hash"),
            r.ReadPublicKey("vote.validator"),
            r.ReadBool("vote.has_extension") ? PriceObservation.Read(ref r) : null,
            r.ReadSignature("vote.signature"));
        var check = vote.Validate();
        if (!check.IsValid) throw new DecodeException(DecodeError.ValueOutOfRange, check.ToString());
        return vote;
    }

    public static bool TryDecode(ReadOnlySpan<byte> bytes, out Vote? vote, out DecodeException? error) =>
        Decoding.TryDecode(Decode, bytes, out vote, out error);

    public bool Equals(Vote? other) =>
        other is not null && Type == other.Type && Height == other.Height && Round == other.Round && BlockHash == other.BlockHash &&
        Validator == other.Validator && Signature == other.Signature && Equals(Extension, other.Extension);

    public override int GetHashCode() => Signature.R.GetHashCode();
}
