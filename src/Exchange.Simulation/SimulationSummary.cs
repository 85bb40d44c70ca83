namespace Exchange.Simulation;

/// <summary>
/// Totals over many runs, for the <c>exchange simulate</c> table. Adding is commutative (sums, maxima with the
/// lower seed on ties, failures sorted by seed), so runs may finish in any order and the summary is the same.
/// </summary>
public sealed class SimulationSummary
{
    private readonly SortedDictionary<FaultKind, long> _faults = new();
    private readonly SortedDictionary<Property, long> _violations = new();
    private readonly SortedDictionary<FaultMix, long> _runsByMix = new();
    private readonly SortedDictionary<ulong, SimulationResult> _failures = new();

    public const int MaxFailuresKept = 100;

    public long Runs { get; private set; }
    public long HeightsCommitted { get; private set; }
    public long Messages { get; private set; }
    public long SignatureVerifications { get; private set; }
    public long EquivocationsSeen { get; private set; }
    public long Undecodable { get; private set; }
    public long EvidenceRequired { get; private set; }
    public long EvidenceSlashed { get; private set; }
    public long OffencesSlashed { get; private set; }
    public long Transactions { get; private set; }
    public long Extensions { get; private set; }
    public long RunsWithViolations { get; private set; }
    public long SlowestRecoveryMs { get; private set; }
    public ulong SlowestRecoverySeed { get; private set; }
    public IReadOnlyDictionary<FaultKind, long> Faults => _faults;
    public IReadOnlyDictionary<Property, long> Violations => _violations;
    public IReadOnlyDictionary<FaultMix, long> RunsByMix => _runsByMix;
    /// <summary>The failed runs with the lowest seeds, up to <see cref="MaxFailuresKept"/>.</summary>
    public IEnumerable<SimulationResult> Failures => _failures.Values;

    public void Add(SimulationResult r)
    {
        Runs++;
        _runsByMix[r.Scenario.Mix] = _runsByMix.GetValueOrDefault(r.Scenario.Mix) + 1;
        HeightsCommitted += (long)r.MinHonestHeight;
        Messages += r.Messages;
        SignatureVerifications += r.SignatureVerifications;
        EquivocationsSeen += r.EquivocationsSeen;
        Undecodable += r.Undecodable;
        EvidenceRequired += r.EvidenceRequired;
        EvidenceSlashed += r.EvidenceSlashed;
        OffencesSlashed += r.OffencesSlashed;
        Transactions += r.Transactions;
        Extensions += r.Extensions;
        foreach (var (kind, n) in r.Faults) _faults[kind] = _faults.GetValueOrDefault(kind) + n;
        if (r.RecoveryMs > SlowestRecoveryMs || (r.RecoveryMs == SlowestRecoveryMs && r.Scenario.Seed < SlowestRecoverySeed))
        {
            SlowestRecoveryMs = r.RecoveryMs;
            SlowestRecoverySeed = r.Scenario.Seed;
        }
        if (r.Ok) return;
        RunsWithViolations++;
        foreach (var p in r.Violations.Select(v => v.Property).Distinct()) _violations[p] = _violations.GetValueOrDefault(p) + 1;
        _failures[r.Scenario.Seed] = r;
        if (_failures.Count > MaxFailuresKept) _failures.Remove(_failures.Keys.Last());
    }
}
