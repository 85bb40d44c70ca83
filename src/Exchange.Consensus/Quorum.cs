namespace Exchange.Consensus;

/// <summary>
/// The two thresholds of the paper, in voting power: "2f+1" is more than two thirds of the total,
/// "f+1" more than one third. Products are taken in <see cref="Int128"/>, so no sum of
/// <see cref="long"/> powers can overflow them.
/// </summary>
public static class Quorum
{
    /// <summary>More than two thirds: <c>3·power &gt; 2·total</c>.</summary>
    public static bool IsTwoThirds(Int128 power, long total) => power * 3 > (Int128)total * 2;

    /// <summary>More than one third: <c>3·power &gt; total</c>; no set of f or fewer faulty validators reaches it.</summary>
    public static bool IsOneThird(Int128 power, long total) => power * 3 > total;
}
