using Exchange.Core.Oracle;
using FsCheck;
using FsCheck.Fluent;
using static Exchange.Core.Tests.Oracle.OracleFixtures;

namespace Exchange.Core.Tests.Oracle;

/// <summary>Reports for a weighted median: values clustered so ties and exact half splits are common, weights small or huge.</summary>
public sealed record MedianCase(WeightedValue[] Entries)
{
    public override string ToString() => string.Join(" ", Entries.Select(e => $"{e.Value}x{e.Weight}"));
}

/// <summary>
/// A validator set split into honest validators, who report prices inside [Low, High], and Byzantine ones,
/// who report anything at all and hold less than a third of the power.
/// </summary>
public sealed record ByzantineCase(long[] HonestPowers, long[] HonestPrices, long[] ByzantinePowers, long[] ByzantinePrices)
{
    public long Total => HonestPowers.Sum() + ByzantinePowers.Sum();
    public override string ToString() =>
        $"honest {string.Join(",", HonestPowers.Zip(HonestPrices, (w, p) => $"{p}x{w}"))}; byzantine {string.Join(",", ByzantinePowers.Zip(ByzantinePrices, (w, p) => $"{p}x{w}"))}";
}

/// <summary>A seed for a scenario built with <see cref="Random"/>: drawn from the whole int range, unlike FsCheck's size-bounded ints.</summary>
public sealed record Seed(int Value)
{
    public override string ToString() => $"seed {Value}";
}

public static class OracleArbitraries
{
    public static Arbitrary<Seed> Seeds() => Arb.From(Gen.Choose(0, int.MaxValue).Select(i => new Seed(i)));

    private static readonly Gen<long> Weight = Gen.Frequency(
        (6, Gen.Choose(1, 10).Select(i => (long)i)),
        (2, Gen.Choose(1, 1_000_000).Select(i => (long)i)),
        (1, Gen.Choose(1, 1_000).Select(i => long.MaxValue / 64 / i)));

    private static readonly Gen<long> Value = Gen.Frequency(
        (3, Gen.Choose(1, 6).Select(i => (long)i)),
        (2, Gen.Choose(1, int.MaxValue).Select(i => (long)i * 1_000_003)));

    public static Arbitrary<MedianCase> MedianCases() => Arb.From(
        from n in Gen.Choose(1, 12)
        from values in Gen.ArrayOf(Value, n)
        from weights in Gen.ArrayOf(Weight, n)
        select new MedianCase(values.Select((v, i) => new WeightedValue(v, PseudoKey(i), weights[i])).ToArray()));

    private static readonly Gen<long> Extreme = Gen.Frequency(
        (2, Gen.Elements(1L, long.MaxValue, long.MaxValue / 2, 2L)),
        (1, Gen.Choose(1, int.MaxValue).Select(i => (long)i * 4_000_000_037L)));

    public static Arbitrary<ByzantineCase> ByzantineCases() => Arb.From(
        from honestCount in Gen.Choose(1, 10)
        from honestPowers in Gen.ArrayOf(Gen.Choose(1, 1_000).Select(i => (long)i), honestCount)
        from low in Gen.Choose(1, 1_000_000)
        from spread in Gen.Choose(0, 50_000)
        from honestPrices in Gen.ArrayOf(Gen.Choose(low, low + spread).Select(i => (long)i * 1_000), honestCount)
        from byzantineCount in Gen.Choose(0, 6)
        from shares in Gen.ArrayOf(Gen.Choose(1, 100), byzantineCount)
        // Byzantine power as large as it may be: strictly below half the honest power, so below a third of the total.
        let honest = honestPowers.Sum()
        let budget = (honest - 1) / 2
        let shareSum = Math.Max(1, shares.Sum())
        let byzantinePowers = shares.Select(s => Math.Max(0, budget * s / shareSum)).Where(p => p > 0).ToArray()
        from byzantinePrices in Gen.ArrayOf(Extreme, byzantinePowers.Length)
        select new ByzantineCase(honestPowers, honestPrices, byzantinePowers, byzantinePrices));
}
