using Exchange.Core.Ledger;

namespace Exchange.Consensus;

/// <summary>What the core asks the node to do. Data only: tests assert on them, the node turns them into messages and timers.</summary>
public abstract record ConsensusOutput
{
    private ConsensusOutput() { }

    /// <summary>Send a signed proposal or vote to every validator. The signer persisted it before it was produced.</summary>
    public sealed record Broadcast(IConsensusMessage Message) : ConsensusOutput;

    /// <summary>Feed <see cref="ConsensusInput.TimeoutElapsed"/> with these values after <paramref name="DurationMs"/>.</summary>
    public sealed record ScheduleTimeout(ulong Height, uint Round, RoundStep Step, long DurationMs) : ConsensusOutput;

    /// <summary>getValue() of line 18: build a block for this height and round carrying <paramref name="LastCommit"/> (with its vote extensions) and the pending evidence.</summary>
    /// <remarks>The evidence is the pool's oldest offences, at most <see cref="Block.MaxEvidence"/>; the application drops any piece its state refuses (expired, or against a key that was not a validator) before it builds the block.</remarks>
    public sealed record RequestPayload(ulong Height, uint Round, Commit LastCommit, IReadOnlyList<EquivocationEvidence> Evidence) : ConsensusOutput;

    /// <summary>valid(v): check the block against the application state and answer with <see cref="ConsensusInput.BlockValidated"/>.</summary>
    public sealed record ValidateBlock(Block Block) : ConsensusOutput;

    /// <summary>decision_p[h] = v (line 51): the block is final; <paramref name="Commit"/> proves it to anyone who knows the validator set.</summary>
    public sealed record CommitBlock(Block Block, Commit Commit) : ConsensusOutput;

    /// <summary>A validator equivocated (two votes, or two proposals, at one step); the evidence is also in the core's pool for the next proposal. The node gossips it.</summary>
    public sealed record EvidenceFound(EquivocationEvidence Evidence) : ConsensusOutput;
}
