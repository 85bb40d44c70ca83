using System.Runtime.CompilerServices;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;

namespace Exchange.Core.Ledger;

/// <summary>The kinds of evidence. The byte values are the wire encoding.</summary>
public enum EvidenceKind : byte
{
    DuplicateVote = 1,
    DuplicateProposal = 2,
}

/// <summary>
/// Proof that a validator signed two different consensus messages at one (height, round, step): two votes
/// (<see cref="DuplicateVoteEvidence"/>) or two proposals (<see cref="DuplicateProposalEvidence"/>). Consensus finds it,
/// the next proposer puts it in its block, and the state machine slashes the offender once per
/// <see cref="Offence"/>. Both messages are carried whole, each with its signature, so anyone who knows the chain id
/// can check the proof with no other state; the two are kept in a canonical order, so one pair has one encoding.
/// </summary>
public abstract record EquivocationEvidence : IComparable<EquivocationEvidence>
{
    /// <summary>Kind, then two messages of at most 144 bytes each.</summary>
    public const int MaxEncodedLength = 320;

    private protected EquivocationEvidence() { }

    public abstract EvidenceKind Kind { get; }
    public abstract Offence Offence { get; }
    public PublicKey Offender => Offence.Validator;
    public ulong Height => Offence.Height;

    /// <summary>Stateless checks: one signer, one (height, round, step), two different values in canonical order.</summary>
    public abstract EvidenceValidation Validate();

    protected abstract bool SignaturesVerify(string chainId);

    /// <summary>
    /// <see cref="Validate"/>, then both signatures against <paramref name="chainId"/>: evidence signed for another chain
    /// fails here. One piece is checked at several places (the pool, block validation, the state before it applies a
    /// block), so a success is remembered per instance (the evidence is immutable); the answer is the same either way.
    /// </summary>
    public EvidenceValidation Verify(string chainId)
    {
        var shape = Validate();
        if (!shape.IsValid) return shape;
        if (s_verified.TryGetValue(this, out var verifiedFor) && verifiedFor.Value == chainId) return EvidenceValidation.Ok;
        if (!SignaturesVerify(chainId))
            return EvidenceValidation.Fail(EvidenceError.InvalidSignature, $"a signature of {Offender} does not verify for chain '{chainId}'");
        s_verified.AddOrUpdate(this, new StrongBox<string>(chainId));
        return EvidenceValidation.Ok;
    }

    // Keyed by reference (records compare by value, the table does not) and dropped with the instance.
    private static readonly ConditionalWeakTable<EquivocationEvidence, StrongBox<string>> s_verified = new();

    protected abstract void WriteBody(CanonicalWriter w);

    /// <summary><c>kind u8 ‖ message A ‖ message B</c>.</summary>
    public void WriteTo(CanonicalWriter w)
    {
        w.WriteByte((byte)Kind);
        WriteBody(w);
    }

    public byte[] Encode()
    {
        var w = new CanonicalWriter(MaxEncodedLength);
        WriteTo(w);
        return w.ToArray();
    }

    /// <summary>Reads one piece of evidence and runs <see cref="Validate"/>; throws <see cref="DecodeException"/>.</summary>
    public static EquivocationEvidence Read(ref CanonicalReader r)
    {
        var kind = (EvidenceKind)r.ReadEnum("evidence.kind", (byte)EvidenceKind.DuplicateVote, (byte)EvidenceKind.DuplicateProposal);
        EquivocationEvidence evidence = kind switch
        {
            EvidenceKind.DuplicateVote => new DuplicateVoteEvidence(SignedVote.Read(ref r), SignedVote.Read(ref r)),
            EvidenceKind.DuplicateProposal => new DuplicateProposalEvidence(SignedProposal.Read(ref r), SignedProposal.Read(ref r)),
            _ => throw new DecodeException(DecodeError.UnknownEnumValue, $"evidence kind {(byte)kind}"),
        };
        var check = evidence.Validate();
        if (!check.IsValid)
            throw new DecodeException(check.Error == EvidenceError.NonCanonicalOrder ? DecodeError.NonCanonicalOrder : DecodeError.ValueOutOfRange, check.ToString());
        return evidence;
    }

    public static EquivocationEvidence Decode(ReadOnlySpan<byte> bytes) => Decoding.Exactly(bytes, MaxEncodedLength, "evidence", Read);

    public static bool TryDecode(ReadOnlySpan<byte> bytes, out EquivocationEvidence? evidence, out DecodeException? error) =>
        Decoding.TryDecode(Decode, bytes, out evidence, out error);

    /// <summary>By offence, then by encoding: the order a pool offers evidence in and a block carries it.</summary>
    public int CompareTo(EquivocationEvidence? other)
    {
        if (other is null) return 1;
        var c = Offence.CompareTo(other.Offence);
        return c != 0 ? c : Encode().AsSpan().SequenceCompareTo(other.Encode());
    }
}
