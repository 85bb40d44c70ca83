using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Oracle;

namespace Exchange.Consensus;

/// <summary>Everything that can happen to the consensus core. The node feeds these in one order; the core is their only reader.</summary>
public abstract record ConsensusInput
{
    private ConsensusInput() { }

    /// <summary>Begin <paramref name="Height"/> with its validator set (see <see cref="ValidatorSchedule"/>) and the commit of the previous block (empty at height 1).</summary>
    public sealed record Start(ulong Height, ValidatorSet Validators, Commit LastCommit) : ConsensusInput;

    public sealed record ProposalReceived(Proposal Proposal) : ConsensusInput;

    public sealed record VoteReceived(Vote Vote) : ConsensusInput;

    /// <summary>A timer set by <see cref="ConsensusOutput.ScheduleTimeout"/> fired.</summary>
    public sealed record TimeoutElapsed(ulong Height, uint Round, RoundStep Step) : ConsensusInput;

    /// <summary>The application's block, in reply to <see cref="ConsensusOutput.RequestPayload"/>.</summary>
    public sealed record PayloadReady(ulong Height, uint Round, Block Block) : ConsensusInput;

    /// <summary>The application's verdict on a proposed block, in reply to <see cref="ConsensusOutput.ValidateBlock"/>: valid(v) of the paper.</summary>
    public sealed record BlockValidated(Hash32 BlockHash, bool Valid) : ConsensusInput;

    /// <summary>Evidence a peer gossiped. The core checks its form and signatures (and, for the current height, that the offender is a validator) and pools it.</summary>
    public sealed record EvidenceReceived(EquivocationEvidence Evidence) : ConsensusInput;

    /// <summary>The validator's unsigned oracle observation for its precommit at the observation's height (the vote extension).</summary>
    public sealed record ExtensionReady(PriceObservation Observation) : ConsensusInput;
}
