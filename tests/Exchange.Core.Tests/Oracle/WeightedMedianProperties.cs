using Exchange.Core.Crypto;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;
using FsCheck.Xunit;
using static Exchange.Core.Tests.Oracle.OracleFixtures;

namespace Exchange.Core.Tests.Oracle;

public class WeightedMedianProperties
{
    /// <summary>
    /// The textbook definition, by brute force over every reported value: v is a weighted median when the
    /// weight strictly below it and the weight strictly above it are each at most half; the lower median is
    /// the least such v.
    /// </summary>
    private static long BruteForceLowerMedian(WeightedValue[] entries)
    {
        var total = entries.Aggregate(Int128.Zero, (s, e) => s + e.Weight);
        return entries.Select(e => e.Value)
            .Where(v =>
            {
                var below = entries.Where(e => e.Value < v).Aggregate(Int128.Zero, (s, e) => s + e.Weight);
                var above = entries.Where(e => e.Value > v).Aggregate(Int128.Zero, (s, e) => s + e.Weight);
                return below * 2 <= total && above * 2 <= total;
            })
            .Min();
    }

    [Property(Replay = "(3101, 2719)", MaxTest = 3_000, Arbitrary = [typeof(OracleArbitraries)])]
    public void Lower_should_equal_the_brute_force_definition(MedianCase c) =>
        Assert.Equal(BruteForceLowerMedian(c.Entries), WeightedMedian.Lower(c.Entries));

    [Property(Replay = "(3102, 2719)", MaxTest = 1_000, Arbitrary = [typeof(OracleArbitraries)])]
    public void Lower_should_not_depend_on_the_order_of_the_entries(MedianCase c)
    {
        var reversed = c.Entries.Reverse().ToArray();
        var rotated = c.Entries.Skip(1).Concat(c.Entries.Take(1)).ToArray();
        var expected = WeightedMedian.Lower(c.Entries);
        Assert.Equal(expected, WeightedMedian.Lower(reversed));
        Assert.Equal(expected, WeightedMedian.Lower(rotated));
    }

    [Property(Replay = "(3103, 2719)", MaxTest = 2_000, Arbitrary = [typeof(OracleArbitraries)])]
    public void A_byzantine_third_should_not_move_the_median_outside_the_honest_range(ByzantineCase c)
    {
        var entries = c.HonestPrices.Select((p, i) => new WeightedValue(p, PseudoKey(i), c.HonestPowers[i]))
            .Concat(c.ByzantinePrices.Select((p, i) => new WeightedValue(p, PseudoKey(1_000 + i), c.ByzantinePowers[i])))
            .ToArray();

        var median = WeightedMedian.Lower(entries);

        Assert.InRange(median, c.HonestPrices.Min(), c.HonestPrices.Max());
    }

    [Property(Replay = "(3104, 2719)", MaxTest = 500, Arbitrary = [typeof(OracleArbitraries)])]
    public void Oracle_index_should_stay_in_the_honest_range_when_honest_power_exceeds_two_thirds(ByzantineCase c)
    {
        var honest = c.HonestPowers.Select((w, i) => (Key: PseudoKey(i), Power: w, Price: c.HonestPrices[i]));
        var byzantine = c.ByzantinePowers.Select((w, i) => (Key: PseudoKey(1_000 + i), Power: w, Price: c.ByzantinePrices[i]));
        var everyone = honest.Concat(byzantine).ToArray();
        var powers = everyone.ToDictionary(v => v.Key, v => v.Power);
        var observations = everyone.Select(v => Obs(v.Key, 1, new IndexQuote("BTC", new Price(v.Price), 500_000))).ToArray();
        var state = new OracleState(OracleParameters.Default);

        var result = state.Apply(2, Expiry, observations, powers, c.Total);

        Assert.Equal(IndexOutcome.Updated, Assert.Single(result.Indexes).Outcome);
        Assert.True(state.TryGetIndex("BTC", Expiry, out var index, out _));
        Assert.InRange(index.Raw, c.HonestPrices.Min(), c.HonestPrices.Max());
    }
}
