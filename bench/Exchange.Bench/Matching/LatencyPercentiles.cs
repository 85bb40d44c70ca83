using System.Diagnostics;

namespace Exchange.Bench.Matching;

/// <summary>
/// Per-op latency percentiles in nanoseconds, less the median cost of the timestamp pair around
/// each op (never below zero). Nearest-rank: p99 is the smallest time that 99% of ops did not exceed.
/// </summary>
internal readonly record struct LatencyPercentiles(double P50, double P99, double P999)
{
    public static LatencyPercentiles From(long[] ticks, long timerOverheadTicks)
    {
        Array.Sort(ticks);
        return new LatencyPercentiles(At(0.50), At(0.99), At(0.999));

        double At(double p)
        {
            var rank = (int)Math.Ceiling(p * ticks.Length) - 1;
            return Nanoseconds(Math.Max(0, ticks[rank] - timerOverheadTicks));
        }
    }

    public static double Nanoseconds(long ticks) => ticks * 1e9 / Stopwatch.Frequency;
}
