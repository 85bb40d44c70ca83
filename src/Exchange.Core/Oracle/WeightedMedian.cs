using Exchange.Core.Crypto;

namespace Exchange.Core.Oracle;

/// <summary>One reported value with the reporter's key (the tie-break) and voting power (the weight).</summary>
public readonly record struct WeightedValue(long Value, PublicKey Reporter, long Weight);

/// <summary>
/// The lower stake-weighted median, exactly and in integers.
/// <para>
/// Definition. Order the entries by value, then by reporter key (bytewise), and let W be the total weight.
/// The result is the value of the first entry whose cumulative weight C satisfies 2·C ≥ W. It is the
/// smallest reported value v with weight(&lt; v) ≤ W/2 and weight(&gt; v) ≤ W/2; when the weight splits
/// exactly in half between two values (possible only when W is even) it is the lower of the two.
/// The value depends only on the multiset of (value, weight) pairs: the key order merely makes the
/// sort total, so every node walks the same sequence.
/// </para>
/// <para>
/// Why it resists a minority: if the honest reporters' weight H exceeds the rest, B, then fewer than W/2
/// lies below the lowest honest value and fewer than W/2 above the highest, so the median is inside the
/// honest range whatever the others report.
/// </para>
/// </summary>
public static class WeightedMedian
{
    /// <summary>The lower weighted median of <paramref name="entries"/>, which must be non-empty with positive weights. The span is sorted in place.</summary>
    public static long LowerInPlace(Span<WeightedValue> entries)
    {
        if (entries.IsEmpty) throw new ArgumentException("the median of nothing is undefined", nameof(entries));
        Int128 total = 0;
        foreach (var e in entries)
        {
            if (e.Weight <= 0) throw new ArgumentException($"weight {e.Weight} of {e.Reporter} is not positive", nameof(entries));
            total += e.Weight;
        }
        entries.Sort(static (a, b) =>
        {
            var c = a.Value.CompareTo(b.Value);
            return c != 0 ? c : a.Reporter.CompareTo(b.Reporter);
        });
        Int128 cumulative = 0;
        foreach (var e in entries)
        {
            cumulative += e.Weight;
            if (cumulative * 2 >= total) return e.Value;
        }
        throw new InvalidOperationException("unreachable: the last entry's cumulative weight is the total");
    }

    /// <summary>The lower weighted median of a list, leaving the list untouched.</summary>
    public static long Lower(IReadOnlyList<WeightedValue> entries)
    {
        var copy = entries.ToArray();
        return LowerInPlace(copy);
    }
}
