using Akka.Actor;
using Exchange.Consensus;
using Exchange.Core.Crypto;

namespace Exchange.Node.Validator;

/// <summary>
/// What a <see cref="ValidatorActor"/> needs: the consensus settings (chain and round timeouts), the validator's key,
/// the directory holding its sign state and consensus WAL, and the actors it talks to on its own node.
/// </summary>
/// <param name="DataDirectory">Holds <see cref="FileSignStateStore.FileName"/> and <see cref="ConsensusWal.FileName"/>; one directory per validator key, never shared.</param>
/// <param name="Application">Builds and validates blocks, applies decided ones and answers with <see cref="HeightApplied"/> (see ValidatorProtocol.cs).</param>
public sealed record ValidatorSettings(ConsensusConfig Consensus, KeyPair Key, string DataDirectory, IActorRef Application)
{
    /// <summary>Asked for <see cref="ObservationReady"/> at each height; <see cref="ActorRefs.Nobody"/> for precommits without extensions.</summary>
    public IActorRef Oracle { get; init; } = ActorRefs.Nobody;

    /// <summary>
    /// The node's mempool, asked for its copies of transactions a compact proposal names and this node has not verified
    /// (<see cref="Mempool.FindTxs"/>); <see cref="ActorRefs.Nobody"/> asks the proposer for the whole block at once.
    /// </summary>
    public IActorRef Mempool { get; init; } = ActorRefs.Nobody;

    /// <summary>How long a compact proposal waits for the mempool's answer before the whole proposal is asked for after all.</summary>
    public TimeSpan MempoolTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a validator whose height has not moved resends its own messages, relays peers' and tells its height (the simulator uses 500 ms).</summary>
    public TimeSpan GossipInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Votes of the next height kept until the validator gets there; enough for many rounds of a large set.</summary>
    public int MaxEarlyVotes { get; init; } = 10_000;

    /// <summary>Proposals of the next height kept; each may carry a large block.</summary>
    public int MaxEarlyProposals { get; init; } = 4;

    /// <summary>Recently decided heights kept with their commits, to answer a peer a little behind; further back is block sync's.</summary>
    public int RecentDecisions { get; init; } = 4;

    public string SignStatePath => Path.Combine(DataDirectory, FileSignStateStore.FileName);
    public string WalPath => Path.Combine(DataDirectory, ConsensusWal.FileName);
}
