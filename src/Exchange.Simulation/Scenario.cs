namespace Exchange.Simulation;

/// <summary>What a Byzantine validator does with its node's outputs. Honest nodes are <see cref="None"/>.</summary>
public enum Behaviour
{
    None = 0,
    /// <summary>Signs two different blocks for each round it proposes, sends one to each half of the peers and, to about one peer in four, the other one first.</summary>
    EquivocateProposals = 1,
    /// <summary>Signs a second vote (nil where the first is for a block, a random block where it is nil) and sends it to half the peers.</summary>
    DoubleVote = 2,
    /// <summary>Sends nothing at all.</summary>
    Silent = 3,
    /// <summary>Proposes blocks the application rejects (a wrong app hash).</summary>
    InvalidBlocks = 4,
    /// <summary>Corrupts the encoded bytes of its messages (flipped bytes, truncation, random bytes).</summary>
    Garbage = 5,
}

/// <summary>The partition shapes the network can take while faults are on.</summary>
public enum PartitionKind
{
    /// <summary>The validators split into two random groups.</summary>
    RandomHalves = 0,
    /// <summary>Node i reaches only its ring neighbours within max(1, n/3): each node sees a different majority by count.</summary>
    Ring = 1,
    /// <summary>One node is cut off from all others.</summary>
    IsolateOne = 2,
}

/// <summary>Link faults, in per-mille per message. Delays are uniform in [MinDelayMs, MaxDelayMs]; a reordered message gets up to ReorderExtraMs more.</summary>
public sealed record NetworkProfile(long MinDelayMs, long MaxDelayMs, int DropPerMille, int DuplicatePerMille, int ReorderPerMille, long ReorderExtraMs)
{
    public static readonly NetworkProfile Zero = new(0, 0, 0, 0, 0, 0);
    public static readonly NetworkProfile Calm = new(1, 20, 0, 0, 0, 0);
    public static readonly NetworkProfile Lossy = new(1, 40, 100, 50, 100, 300);
}

/// <summary>
/// A fault mix: which kinds of fault a run draws from. The scenario generator turns a mix and a seed into a
/// concrete <see cref="Scenario"/>.
/// </summary>
public enum FaultMix
{
    Clean = 0,
    LossyNetwork = 1,
    Partitions = 2,
    Crashes = 3,
    Equivocation = 4,
    DoubleVotes = 5,
    Silence = 6,
    InvalidBlocks = 7,
    Garbage = 8,
    Everything = 9,
}

/// <summary>A partition in force from <see cref="FromMs"/> until <see cref="UntilMs"/>.</summary>
public sealed record PartitionEpisode(PartitionKind Kind, long FromMs, long UntilMs, IReadOnlyList<int> Groups);

/// <summary>A node down from <see cref="AtMs"/> (losing all volatile state) and back at <see cref="RestartMs"/>.</summary>
public sealed record CrashEpisode(int Node, long AtMs, long RestartMs);

/// <summary>
/// One run, fully determined: the validators (stake per machine), which key each machine runs (two machines may
/// share a key only in the negative control), each machine's behaviour, the network, the fault schedule that ends
/// by <see cref="HealMs"/>, how many heights every honest node must commit, and how long after the heal it may take.
/// </summary>
public sealed record Scenario(
    ulong Seed,
    FaultMix Mix,
    IReadOnlyList<long> Stakes,
    IReadOnlyList<int> KeyOfMachine,
    IReadOnlyList<Behaviour> Behaviours,
    NetworkProfile Network,
    IReadOnlyList<PartitionEpisode> Partitions,
    IReadOnlyList<CrashEpisode> Crashes,
    ulong Heights,
    long HealMs,
    long LivenessBoundMs,
    long BlockIntervalMs,
    long GossipIntervalMs,
    bool NegativeControl = false)
{
    public int Machines => KeyOfMachine.Count;
    public long TimeLimitMs => HealMs + LivenessBoundMs;

    /// <summary>Honest: follows the protocol and is the only machine holding its key.</summary>
    public bool IsHonest(int machine) =>
        Behaviours[machine] == Behaviour.None && KeyOfMachine.Count(k => k == KeyOfMachine[machine]) == 1;
}
