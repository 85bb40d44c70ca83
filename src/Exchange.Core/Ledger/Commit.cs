using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;
using Exchange.Core.Oracle;

namespace Exchange.Core.Ledger;

/// <summary>
/// One validator's precommit signature inside a <see cref="Commit"/>, with its vote extension: the
/// validator's signed index-price observation, which the next block's state machine feeds to the oracle.
/// </summary>
public readonly record struct CommitSignature(PublicKey Validator, Signature Signature, PriceObservation? Extension = null);

/// <summary>Why a commit does not prove a block final.</summary>
public enum CommitCheck
{
    Valid = 0,
    WrongBlock = 1,
    UnknownValidator = 2,
    DuplicateValidator = 3,
    InvalidSignature = 4,
    /// <summary>The valid signatures carry no more than two thirds of the voting power.</summary>
    InsufficientPower = 5,
    /// <summary>A vote extension that is malformed, not the signer's, for another height, or badly signed.</summary>
    InvalidExtension = 6,
}

/// <summary>
/// The +2/3 precommits for a block: anyone who knows the validator set at that height can check
/// that the block is final. Signatures are kept sorted by validator key, so one set of votes has
/// one encoding and one hash.
/// </summary>
public sealed record Commit(ulong Height, uint Round, Hash32 BlockHash, IReadOnlyList<CommitSignature> Signatures)
{
    public const int MaxSignatures = 1_000;
    public const string PrecommitTag = "exchange/precommit/v1";
    public const string HashTag = "exchange/commit/v1";
    /// <summary>The longest commit: every signer carrying the longest vote extension.</summary>
    public const int MaxEncodedLength = 64 + MaxSignatures * (PublicKey.Length + Signature.Length + 1 + PriceObservation.MaxEncodedLength);

    /// <summary>The commit carried by the first block, which has no previous block to commit.</summary>
    public static readonly Commit Empty = new(0, 0, Hash32.Zero, []);

    public bool IsEmpty => Height == 0 && Signatures.Count == 0;

    /// <summary>Builds a commit in canonical order (sorted by validator key).</summary>
    public static Commit Create(ulong height, uint round, Hash32 blockHash, IEnumerable<CommitSignature> signatures) =>
        new(height, round, blockHash, signatures.OrderBy(s => s.Validator).ToArray());

    /// <summary>The message a validator signs to precommit a block: chain, height, round and block hash under their own tag.</summary>
    public static Hash32 PrecommitSigningHash(string chainId, ulong height, uint round, in Hash32 blockHash)
    {
        var w = new CanonicalWriter(96);
        w.WriteText(chainId, Names.MaxChainIdLength);
        w.WriteVarUInt(height);
        w.WriteVarUInt(round);
        w.WriteHash(blockHash);
        return Hash32.Tagged(PrecommitTag, w.Written);
    }

    /// <summary>
    /// Checks that the commit finalizes <paramref name="blockHash"/> at <paramref name="height"/>: every signer
    /// is a distinct member of the validator set, every signature is valid, and the signers hold more than
    /// two thirds of <paramref name="totalPower"/>.
    /// </summary>
    /// <param name="verify">How each signature is checked; <see cref="Schnorr.Verify(in PublicKey, in Hash32, in Signature)"/> when null.</param>
    public CommitCheck Verify(string chainId, ulong height, in Hash32 blockHash, IReadOnlyDictionary<PublicKey, long> votingPower, long totalPower,
        SignatureVerifier? verify = null)
    {
        verify ??= Schnorr.Verify;
        if (Height != height || BlockHash != blockHash) return CommitCheck.WrongBlock;
        var message = PrecommitSigningHash(chainId, Height, Round, BlockHash);
        Int128 signed = 0;
        PublicKey? previous = null;
        foreach (var s in Signatures)
        {
            if (previous is { } p && s.Validator.CompareTo(p) <= 0) return CommitCheck.DuplicateValidator;
            previous = s.Validator;
            if (!votingPower.TryGetValue(s.Validator, out var power)) return CommitCheck.UnknownValidator;
            if (verify(s.Validator, message, s.Signature) != SignatureCheck.Valid) return CommitCheck.InvalidSignature;
            if (s.Extension is { } ext && (ext.Validator != s.Validator || ext.Height != Height || !ext.Validate().IsValid || ext.Verify(chainId, verify) != SignatureCheck.Valid))
                return CommitCheck.InvalidExtension;
            signed += power;
        }
        return signed * 3 > (Int128)totalPower * 2 ? CommitCheck.Valid : CommitCheck.InsufficientPower;
    }

    public void WriteTo(CanonicalWriter w)
    {
        w.WriteVarUInt(Height);
        w.WriteVarUInt(Round);
        w.WriteHash(BlockHash);
        w.WriteVarUInt((ulong)Signatures.Count);
        foreach (var s in Signatures)
        {
            w.WritePublicKey(s.Validator);
            w.WriteSignature(s.Signature);
            w.WriteBool(s.Extension is not null);
            s.Extension?.WriteTo(w);
        }
    }

    /// <summary>The hash of the whole commit, extensions included, for <see cref="BlockHeader.LastCommitHash"/>.</summary>
    public Hash32 Hash()
    {
        var w = new CanonicalWriter(128 + Signatures.Count * 200);
        WriteTo(w);
        return Hash32.Tagged(HashTag, w.Written);
    }

    /// <summary>The commit on its own, as a node stores it beside the block it finalizes.</summary>
    public byte[] Encode()
    {
        var w = new CanonicalWriter(128 + Signatures.Count * 200);
        WriteTo(w);
        return w.ToArray();
    }

    /// <summary>Decodes exactly one commit or throws <see cref="DecodeException"/>.</summary>
    public static Commit Decode(ReadOnlySpan<byte> bytes) => Decoding.Exactly(bytes, MaxEncodedLength, "commit", Read);

    /// <summary>The vote extensions carried by this commit, in signer order.</summary>
    public IReadOnlyList<PriceObservation> Observations() =>
        [.. Signatures.Where(s => s.Extension is not null).Select(s => s.Extension!)];

    internal static Commit Read(ref CanonicalReader r)
    {
        var height = r.ReadVarUInt("commit.height");
        var round = r.ReadVarUInt32("commit.round");
        var blockHash = r.ReadHash("commit.block_hash");
        var count = r.ReadLength("commit.signatures", MaxSignatures);
        var signatures = new CommitSignature[count];
        for (var i = 0; i < count; i++)
        {
            var validator = r.ReadPublicKey("commit.validator");
            var signature = r.ReadSignature("commit.signature");
            var extension = r.ReadBool("commit.has_extension") ? PriceObservation.Read(ref r) : null;
            signatures[i] = new CommitSignature(validator, signature, extension);
            if (i > 0 && signatures[i].Validator.CompareTo(signatures[i - 1].Validator) <= 0)
                throw new DecodeException(DecodeError.NonCanonicalOrder, "commit signatures must be sorted by validator, each validator once");
        }
        return new Commit(height, round, blockHash, signatures);
    }

    public bool Equals(Commit? other) =>
        other is not null && Height == other.Height && Round == other.Round && BlockHash == other.BlockHash &&
        Signatures.SequenceEqual(other.Signatures);

    public override int GetHashCode() => BlockHash.GetHashCode();
}
