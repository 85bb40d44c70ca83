using System.Diagnostics;

namespace Exchange.Bench.Matching;

/// <summary>
/// Per-op latency percentiles in nanoseconds, less the median cost of the timestamp pair around
/// each op (never below zero). Nearest-rank: p99 is the smallest time that 99% of ops did not exceed.
/// </summary>
internal readonly record struct LatencyPercentiles(double P50, double P99, double P999)
{
    /// <summary>Sorts <paramref name="ticks"/> in place.</summary>
    public static LatencyPercentiles From(Span<long> ticks, long timerOverheadTicks)
    {
        ticks.Sort();
        return new LatencyPercentiles(At(ticks, 0.50), At(ticks, 0.99), At(ticks, 0.999));

        double At(Span<long> sorted, double p)
        {
            var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
            return Nanoseconds(Math.Max(0, sorted[rank] - timerOverheadTicks));
        }
    }

    public static double Nanoseconds(long ticks) => ticks * 1e9 / Stopwatch.Frequency;
}
