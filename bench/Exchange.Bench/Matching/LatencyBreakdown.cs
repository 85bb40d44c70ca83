namespace Exchange.Bench.Matching;

/// <summary>The latency of one class of op within a pass, and its share of the whole pass's time.</summary>
internal readonly record struct ClassLatency(OpClass Class, int Count, LatencyPercentiles Latency, double ShareOfTime);

/// <summary>
/// Splits a latency pass by <see cref="OpClass"/>: which kinds of op are slow, and which take
/// most of the time because they are common. This is where tuning a book starts.
/// </summary>
internal static class LatencyBreakdown
{
    public static ClassLatency[] From(ReadOnlySpan<long> ticks, OpClass[] classes, long timerOverheadTicks)
    {
        var total = 0L;
        foreach (var t in ticks) total += Math.Max(0, t - timerOverheadTicks);
        var result = new List<ClassLatency>();
        var selected = new long[ticks.Length];
        foreach (var opClass in Enum.GetValues<OpClass>())
        {
            var count = 0;
            var sum = 0L;
            for (var i = 0; i < ticks.Length; i++)
            {
                if (classes[i] != opClass) continue;
                selected[count++] = ticks[i];
                sum += Math.Max(0, ticks[i] - timerOverheadTicks);
            }
            if (count > 0)
                result.Add(new ClassLatency(opClass, count, LatencyPercentiles.From(selected.AsSpan(0, count), timerOverheadTicks), total == 0 ? 0 : (double)sum / total));
        }
        return [.. result];
    }

    /// <summary>Each class's median over rounds of the same stream, which split into the same classes every time.</summary>
    public static ClassLatency[] Median(ClassLatency[][] rounds)
    {
        var first = rounds[0];
        var result = new ClassLatency[first.Length];
        for (var c = 0; c < first.Length; c++)
        {
            var column = rounds.Select(r => r[c]).ToArray();
            result[c] = new ClassLatency(first[c].Class, first[c].Count,
                new LatencyPercentiles(
                    Medians.Of(column.Select(x => x.Latency.P50)),
                    Medians.Of(column.Select(x => x.Latency.P99)),
                    Medians.Of(column.Select(x => x.Latency.P999))),
                Medians.Of(column.Select(x => x.ShareOfTime)));
        }
        return result;
    }
}
