using Exchange.Core.Crypto;

namespace Exchange.Simulation;

/// <summary>The faults a run injected, counted by kind.</summary>
public enum FaultKind
{
    Drop = 0,
    Duplicate = 1,
    Reorder = 2,
    Partition = 3,
    Crash = 4,
    EquivocatingProposal = 5,
    DoubleVote = 6,
    SilencedMessage = 7,
    InvalidBlock = 8,
    GarbageMessage = 9,
}

/// <summary>Which property a violation breaks.</summary>
public enum Property
{
    Agreement = 0,
    Validity = 1,
    Liveness = 2,
    Evidence = 3,
}

public sealed record Violation(Property Property, string Description)
{
    public override string ToString() => $"{Property}: {Description}";
}

/// <summary>
/// What one run did and what the checks found. <see cref="TraceDigest"/> folds every event the run processed
/// (time, sequence, kind, nodes and message bytes), so two runs of one seed can be compared exactly.
/// </summary>
public sealed record SimulationResult(
    Scenario Scenario,
    IReadOnlyList<ulong> HeightsCommitted,
    IReadOnlyList<Violation> Violations,
    IReadOnlyDictionary<FaultKind, long> Faults,
    long RecoveryMs,
    long EndTimeMs,
    long Events,
    long Messages,
    long SignatureVerifications,
    long EquivocationsSeen,
    ulong TraceDigest,
    IReadOnlyList<Hash32> CommittedHashes)
{
    public bool Ok => Violations.Count == 0;

    /// <summary>Heights committed by the honest node that committed fewest, the figure the liveness check is about.</summary>
    public ulong MinHonestHeight { get; init; }

    /// <summary>Deliveries the receiver could not decode (corrupted by a garbage sender) and dropped.</summary>
    public long Undecodable { get; init; }

    /// <summary>Equivocations at the scenario's heights that an honest machine took in: each must be slashed on every honest machine.</summary>
    public long EvidenceRequired { get; init; }

    /// <summary>Of <see cref="EvidenceRequired"/>, those committed and slashed on every honest machine by the end of the run.</summary>
    public long EvidenceSlashed { get; init; }

    /// <summary>Offences slashed in the state of the honest machine with the longest chain (also equivocations beyond the required heights).</summary>
    public long OffencesSlashed { get; init; }

    /// <summary>Transactions in the longest honest chain.</summary>
    public long Transactions { get; init; }

    /// <summary>Vote extensions (price observations) carried by the commits in the longest honest chain.</summary>
    public long Extensions { get; init; }

    public string Describe() =>
        $"seed {Scenario.Seed} mix {Scenario.Mix}: {(Ok ? "ok" : string.Join("; ", Violations))}";
}
