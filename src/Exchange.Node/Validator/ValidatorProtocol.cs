using Akka.Actor;
using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Oracle;

namespace Exchange.Node.Validator;

/// <summary>
/// Marks the validator's own messages to other validators. Proposals and votes travel as the Consensus types
/// themselves (<see cref="Proposal"/>, <see cref="Vote"/>); these carry only types the Core codec encodes
/// (<see cref="Block"/>, <see cref="Commit"/>, integers), so the node's serializer can carry them too. A receiver
/// runs a message's stateless checks before anything else.
/// </summary>
public interface IValidatorWireMessage { }

// Between validators, besides Proposal and Vote.

/// <summary>"I am deciding <paramref name="Height"/>": sent by a validator whose height has not moved for a gossip interval. A peer that has committed that height answers with <see cref="DecidedBlock"/>.</summary>
public sealed record ConsensusStatus(ulong Height) : IValidatorWireMessage;

/// <summary>A committed block with the commit that proves it, for a peer still deciding that height (catch-up of the last few heights; older ones are block sync's).</summary>
public sealed record DecidedBlock(Block Block, Commit Commit) : IValidatorWireMessage;

/// <summary>
/// A <see cref="Proposal"/> with its block's transactions sent as ids (<see cref="CompactBlock"/>): peers hold them
/// already from mempool gossip, so the proposal does not carry every transaction a second time. A receiver that
/// lacks some asks the sender for the whole proposal with <see cref="ProposalWanted"/>.
/// </summary>
public sealed record CompactProposal(ulong Height, uint Round, int PolRound, CompactBlock Block, PublicKey Proposer, Signature Signature) : IValidatorWireMessage
{
    public static CompactProposal Of(Proposal p) => new(p.Height, p.Round, p.PolRound, CompactBlock.Of(p.Block), p.Proposer, p.Signature);

    /// <summary>The proposal again, or null when <paramref name="known"/> lacks some of its transactions.</summary>
    public Proposal? Expand(Func<Hash32, Transaction?> known) =>
        Block.Expand(known, out _) is { } block ? new Proposal(Height, Round, PolRound, block, Proposer, Signature) : null;
}

/// <summary>"Send me your whole proposal for this height and round": the answer to a <see cref="CompactProposal"/> whose transactions the receiver lacks.</summary>
public sealed record ProposalWanted(ulong Height, uint Round) : IValidatorWireMessage;

// From the cluster host.

/// <summary>The ValidatorActors of the other validators, by key. Replaces the previous map; the validator's own key may be in it and is ignored.</summary>
public sealed record ValidatorPeersChanged(IReadOnlyDictionary<PublicKey, IActorRef> Peers);

// Between the validator and the application (the proposer and ledger side of the same node).

/// <summary>Validator → application at start: which height was applied last? Answered with <see cref="HeightApplied"/>.</summary>
public sealed record GetLastApplied
{
    public static readonly GetLastApplied Instance = new();
}

/// <summary>
/// Application → validator: block <paramref name="Height"/> (0 for genesis) is applied, with <paramref name="Commit"/>
/// (empty at genesis); <paramref name="NextHeightValidators"/> signs height <c>Height + 1</c> (see <see cref="ValidatorSchedule"/>).
/// The validator starts that height. Sent after each <see cref="BlockDecided"/>, after block sync, and in answer to <see cref="GetLastApplied"/>.
/// </summary>
public sealed record HeightApplied(ulong Height, Commit Commit, ValidatorSet NextHeightValidators);

/// <summary>getValue(): build the block for this height and round carrying <paramref name="LastCommit"/> and the evidence. Answered with <see cref="BlockBuilt"/>.</summary>
public sealed record BuildBlock(ulong Height, uint Round, Commit LastCommit, IReadOnlyList<EquivocationEvidence> Evidence);

public sealed record BlockBuilt(ulong Height, uint Round, Block Block);

/// <summary>valid(v): check a proposed block against the application state. Answered with <see cref="BlockValidity"/>.</summary>
public sealed record ValidateBlockRequest(Block Block);

public sealed record BlockValidity(Hash32 BlockHash, bool Valid);

/// <summary>The block is final: apply it, then answer with <see cref="HeightApplied"/>. May come twice for one height (after a restart); the second is ignored.</summary>
public sealed record BlockDecided(Block Block, Commit Commit);

// Between the validator and the oracle.

/// <summary>Validator → oracle at the start of each height: observe the index prices for the precommit at <paramref name="Height"/>.</summary>
public sealed record ObservationRequested(ulong Height);

/// <summary>Oracle → validator: the unsigned observation to sign as the vote extension of its precommit at the observation's height.</summary>
public sealed record ObservationReady(PriceObservation Observation);

// Queries and events.

public sealed record GetValidatorStatus
{
    public static readonly GetValidatorStatus Instance = new();
}

/// <summary>
/// A validator's position and counters. <paramref name="CoreDrops"/> are the core's (bad signatures, equivocations,
/// refused signatures...); the others count what the actor dropped or did before the core: messages of past heights
/// (<paramref name="Stale"/>), copies of messages already taken in (<paramref name="Duplicates"/>), messages that
/// failed their stateless checks (<paramref name="Invalid"/>), next-height messages buffered or dropped because the
/// buffer was full, messages further ahead (<paramref name="TooFarAhead"/>), catch-up answers sent and taken, WAL
/// records replayed at start.
/// </summary>
public sealed record ValidatorStatus(
    ulong Height, uint Round, RoundStep Step, bool Decided, int LockedRound, Hash32? LockedValue,
    IReadOnlyDictionary<DropReason, long> CoreDrops,
    long Stale, long Duplicates, long Invalid, long EarlyBuffered, long EarlyDropped, long TooFarAhead,
    long CatchUpsSent, long CatchUpsTaken, long CatchUpsRefused, long WalReplayed, long EvidenceFound)
{
    /// <summary>Compact proposals this node could not put back together and asked for whole.</summary>
    public long ProposalsWanted { get; init; }

    /// <summary>Compact proposals put back together with the node's mempool's copies of transactions not yet verified (<see cref="Mempool.FindTxs"/>).</summary>
    public long ProposalsFilled { get; init; }
}

/// <summary>Published on the event stream when this validator's core finds two conflicting votes of one validator.</summary>
public sealed record EvidenceObserved(PublicKey Observer, EquivocationEvidence Evidence);

// Internal messages of the actor to itself.

/// <summary>The mempool did not answer a <see cref="Mempool.FindTxs"/> in time.</summary>
internal sealed record FindTimedOut(long RequestId);

/// <summary>A round timer fired: becomes <see cref="ConsensusInput.TimeoutElapsed"/>.</summary>
internal sealed record TimeoutFired(ulong Height, uint Round, RoundStep Step);

internal sealed record GossipTick
{
    public static readonly GossipTick Instance = new();
}
