using Exchange.Core.Ledger.Codec;

namespace Exchange.Core.Ledger;

/// <summary>
/// Two proposals signed by one proposer for one height and round that differ in block or proof-of-lock round,
/// ordered by (block hash, proof-of-lock round). Tendermint leaves these unpunished because they cannot break
/// safety by themselves; they still cost honest validators a round, and proving them needs nothing but the two
/// signatures, so the ledger slashes them like double votes.
/// </summary>
public sealed record DuplicateProposalEvidence(SignedProposal ProposalA, SignedProposal ProposalB) : EquivocationEvidence
{
    public override EvidenceKind Kind => EvidenceKind.DuplicateProposal;

    public override Offence Offence => new(ProposalA.Proposer, ProposalA.Height, ProposalA.Round, OffenceStep.Propose);

    /// <summary>Puts two conflicting proposals in canonical order.</summary>
    public static DuplicateProposalEvidence Create(SignedProposal first, SignedProposal second) =>
        Order(first, second) <= 0 ? new(first, second) : new(second, first);

    private static int Order(SignedProposal a, SignedProposal b)
    {
        var c = a.BlockHash.CompareTo(b.BlockHash);
        return c != 0 ? c : a.PolRound.CompareTo(b.PolRound);
    }

    public override EvidenceValidation Validate()
    {
        if (ProposalA.Height == 0) return EvidenceValidation.Fail(EvidenceError.ZeroHeight, "proposals start at height 1");
        if (ProposalA.Proposer != ProposalB.Proposer)
            return EvidenceValidation.Fail(EvidenceError.OffenderMismatch, $"proposals of {ProposalA.Proposer} and {ProposalB.Proposer}");
        if (ProposalA.Height != ProposalB.Height || ProposalA.Round != ProposalB.Round)
            return EvidenceValidation.Fail(EvidenceError.DifferentStep,
                $"proposals at {ProposalA.Height}/{ProposalA.Round} and {ProposalB.Height}/{ProposalB.Round}");
        foreach (var p in (SignedProposal[])[ProposalA, ProposalB])
            if (p.PolRound < -1 || p.PolRound >= p.Round)
                return EvidenceValidation.Fail(EvidenceError.PolRoundOutOfRange, $"proof-of-lock round {p.PolRound} is not in -1..{(long)p.Round - 1}");
        var order = Order(ProposalA, ProposalB);
        if (order == 0) return EvidenceValidation.Fail(EvidenceError.NotConflicting, "both proposals are the same");
        return order < 0 ? EvidenceValidation.Ok : EvidenceValidation.Fail(EvidenceError.NonCanonicalOrder, "the lesser proposal comes first");
    }

    protected override bool SignaturesVerify(string chainId) => ProposalA.VerifySignature(chainId) && ProposalB.VerifySignature(chainId);

    protected override void WriteBody(CanonicalWriter w)
    {
        ProposalA.WriteTo(w);
        ProposalB.WriteTo(w);
    }
}
