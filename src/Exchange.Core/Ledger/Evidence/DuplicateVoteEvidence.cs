using Exchange.Core.Ledger.Codec;

namespace Exchange.Core.Ledger;

/// <summary>
/// Two votes of one validator for one height, round and type with different block hashes (nil is a value too),
/// the lesser block hash first.
/// </summary>
public sealed record DuplicateVoteEvidence(SignedVote VoteA, SignedVote VoteB) : EquivocationEvidence
{
    public override EvidenceKind Kind => EvidenceKind.DuplicateVote;

    public override Offence Offence => new(VoteA.Validator, VoteA.Height, VoteA.Round, Offence.StepOf(VoteA.Type));

    /// <summary>Puts two conflicting votes in canonical order (by block hash).</summary>
    public static DuplicateVoteEvidence Create(SignedVote first, SignedVote second) =>
        first.BlockHash.CompareTo(second.BlockHash) <= 0 ? new(first, second) : new(second, first);

    public override EvidenceValidation Validate()
    {
        if (VoteA.Type is not (VoteType.Prevote or VoteType.Precommit) || VoteB.Type is not (VoteType.Prevote or VoteType.Precommit))
            return EvidenceValidation.Fail(EvidenceError.UnknownKind, "a vote of unknown type");
        if (VoteA.Height == 0) return EvidenceValidation.Fail(EvidenceError.ZeroHeight, "votes start at height 1");
        if (VoteA.Validator != VoteB.Validator)
            return EvidenceValidation.Fail(EvidenceError.OffenderMismatch, $"votes of {VoteA.Validator} and {VoteB.Validator}");
        if (VoteA.Height != VoteB.Height || VoteA.Round != VoteB.Round || VoteA.Type != VoteB.Type)
            return EvidenceValidation.Fail(EvidenceError.DifferentStep,
                $"a {VoteA.Type} at {VoteA.Height}/{VoteA.Round} and a {VoteB.Type} at {VoteB.Height}/{VoteB.Round}");
        var order = VoteA.BlockHash.CompareTo(VoteB.BlockHash);
        if (order == 0) return EvidenceValidation.Fail(EvidenceError.NotConflicting, "both votes are for the same value");
        return order < 0 ? EvidenceValidation.Ok : EvidenceValidation.Fail(EvidenceError.NonCanonicalOrder, "the vote with the lesser block hash comes first");
    }

    protected override bool SignaturesVerify(string chainId) => VoteA.VerifySignature(chainId) && VoteB.VerifySignature(chainId);

    protected override void WriteBody(CanonicalWriter w)
    {
        VoteA.WriteTo(w);
        VoteB.WriteTo(w);
    }
}
