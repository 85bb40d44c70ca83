namespace Exchange.Bench.Matching;

/// <summary>The figures of one mix: both books' rates, their ratio (median of per-round ratios) and the fast book's latency.</summary>
internal sealed record MixFigures(string Key, MatchingStream Stream, double FastOpsPerSec, double ReferenceOpsPerSec, double FastVsReference, LatencyPercentiles Latency, ClassLatency[] Breakdown);

/// <summary>
/// The medians of one matching run and the targets they are held to. Allocation and collections
/// are totals over every fast-book throughput pass that counted.
/// </summary>
internal sealed record MatchingFigures(
    MixFigures Mix1,
    MixFigures Mix2,
    int Rounds,
    long FastGen0Collections,
    double FastAllocatedBytesPerOp,
    double TimerOverheadNs,
    double OtherCores,
    double DisturbedAbove)
{
    public const double OpsPerSecTarget = 5_000_000;
    public const double P99TargetNs = 5_000;

    public IEnumerable<KeyValuePair<string, double>> ToResults()
    {
        foreach (var mix in (MixFigures[])[Mix1, Mix2])
        {
            yield return new($"{mix.Key}_ops_per_sec", Math.Round(mix.FastOpsPerSec));
            yield return new($"{mix.Key}_p50_ns", Math.Round(mix.Latency.P50));
            yield return new($"{mix.Key}_p99_ns", Math.Round(mix.Latency.P99));
            yield return new($"{mix.Key}_p999_ns", Math.Round(mix.Latency.P999));
        }
        foreach (var mix in (MixFigures[])[Mix1, Mix2])
        {
            yield return new($"reference_{mix.Key}_ops_per_sec", Math.Round(mix.ReferenceOpsPerSec));
            yield return new($"fast_vs_reference_{mix.Key}", Math.Round(mix.FastVsReference, 2));
        }
        foreach (var mix in (MixFigures[])[Mix1, Mix2])
        {
            yield return new($"{mix.Key}_ops", mix.Stream.Measured.Length);
            yield return new($"{mix.Key}_fills_per_op", Math.Round(mix.Stream.Profile.FillsPerOp, 3));
            yield return new($"{mix.Key}_mean_resting", Math.Round(mix.Stream.Profile.MeanResting));
        }
        yield return new("fast_gen0_collections", FastGen0Collections);
        yield return new("fast_allocated_bytes_per_op", Math.Round(FastAllocatedBytesPerOp, 3));
        yield return new("timer_overhead_ns", Math.Round(TimerOverheadNs, 1));
        yield return new("rounds", Rounds);
        yield return new("other_processes_cores", Math.Round(OtherCores, 2));
    }

    public void Print(TextWriter to)
    {
        to.WriteLine($"Order book, one thread: median of {Rounds} rounds; latency less {TimerOverheadNs:0} ns of timer per op");
        foreach (var mix in (MixFigures[])[Mix1, Mix2])
        {
            to.WriteLine($"{mix.Stream.Name}");
            mix.Stream.Profile.Print(to, "    ");
            var rateTarget = mix == Mix1 ? $"  target >= {OpsPerSecTarget:N0}  {Verdict(mix.FastOpsPerSec >= OpsPerSecTarget)}" : "";
            var p99Target = mix == Mix1 ? $"  target <= {P99TargetNs:N0}  {Verdict(mix.Latency.P99 <= P99TargetNs)}" : "";
            to.WriteLine($"  {"fast ops/s",-26}{mix.FastOpsPerSec,14:N0}{rateTarget}");
            to.WriteLine($"  {"reference ops/s",-26}{mix.ReferenceOpsPerSec,14:N0}");
            to.WriteLine($"  {"fast / reference",-26}{mix.FastVsReference,14:0.00}");
            to.WriteLine($"  {"fast p50 ns",-26}{mix.Latency.P50,14:N0}");
            to.WriteLine($"  {"fast p99 ns",-26}{mix.Latency.P99,14:N0}{p99Target}");
            to.WriteLine($"  {"fast p99.9 ns",-26}{mix.Latency.P999,14:N0}");
            to.WriteLine($"  {"fast, by what the op did",-26}{"ops",10}{"p50 ns",9}{"p99 ns",9}{"p99.9 ns",10}{"time",8}");
            foreach (var c in mix.Breakdown)
                to.WriteLine($"    {c.Class,-24}{c.Count,10:N0}{c.Latency.P50,9:N0}{c.Latency.P99,9:N0}{c.Latency.P999,10:N0}{c.ShareOfTime,8:P0}");
        }
        to.WriteLine($"fast book, all throughput passes: {FastGen0Collections} gen0 collections, {FastAllocatedBytesPerOp:0.###} bytes allocated per op");
        if (OtherCores > DisturbedAbove)
            to.WriteLine($"warning: other processes kept {OtherCores:0.00} cores busy during these rounds; rerun on a quiet machine");
    }

    private static string Verdict(bool met) => met ? "met" : "MISSED";
}
