using System.Numerics;
using Exchange.Core.Ledger;
using Exchange.Core.Markets;
using Exchange.Core.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Exchange.Core.Tests.Markets;

/// <summary>A positive best price, a positive tick and a band of 1 to 10,000 basis points.</summary>
public sealed record BandCase(long Best, long Tick, int BandBps);

public static class BandCases
{
    public static Arbitrary<BandCase> All() => Arb.From(
        from tick in Gen.Elements(1L, 5L, 100L, 500L, 10_000L, 100_000L, 1_000_000L, 5_000_000L)
        from ticks in Gen.Frequency(
            (3, Gen.Choose(1, 1_000).Select(i => (long)i)),
            (2, Gen.Choose(1, int.MaxValue).Select(i => (long)i)))
        from offGrid in Gen.Frequency((3, Gen.Constant(0L)), (1, Gen.Choose(1, 999_999).Select(i => (long)i)))
        from band in Gen.Frequency((3, Gen.Choose(1, 10_000)), (1, Gen.Elements(1, 9_999, 10_000)))
        select new BandCase(ticks * tick + offGrid % tick, tick, band));
}

public class InstrumentSpecTests
{
    private static readonly Price Tick = Price.Parse("0.5");
    private static readonly Quantity Lot = Quantity.Parse("0.1");

    private static InstrumentSpec Spec_Tick0d5_Lot0d1_Min0d1_Band20pct() => InstrumentSpec.Create(Tick, Lot, Lot);

    [Fact]
    public void Usable_spec_should_pass_its_check()
    {
        var spec = Spec_Tick0d5_Lot0d1_Min0d1_Band20pct();

        Assert.Null(spec.Check());
        Assert.Equal(2_000, spec.PriceBandBps);
        Assert.Equal(200, spec.MaxOpenOrdersPerAccount);
        Assert.Null((spec with { MinSize = Quantity.Parse("0.3"), PriceBandBps = InstrumentSpec.MaxPriceBandBps, MaxOpenOrdersPerAccount = 1 }).Check());
    }

    public static TheoryData<string, InstrumentSpec> BadSpecs()
    {
        var good = Spec_Tick0d5_Lot0d1_Min0d1_Band20pct();
        return new()
        {
            { "tick size", good with { TickSize = Price.Zero } },
            { "tick size", good with { TickSize = Price.Parse("-0.5") } },
            { "lot size", good with { LotSize = Quantity.Zero } },
            { "lot size", good with { LotSize = Quantity.Parse("-0.1") } },
            { "minimum size", good with { MinSize = Quantity.Zero } },
            { "minimum size", good with { MinSize = Quantity.Parse("-0.1") } },
            { "minimum size", good with { MinSize = Quantity.Parse("0.15") } },
            { "minimum size", good with { MinSize = Quantity.Parse("0.05") } },
            { "price band", good with { PriceBandBps = 0 } },
            { "price band", good with { PriceBandBps = -1 } },
            { "price band", good with { PriceBandBps = 10_001 } },
            { "open-order limit", good with { MaxOpenOrdersPerAccount = 0 } },
            { "open-order limit", good with { MaxOpenOrdersPerAccount = -5 } },
        };
    }

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void Check_should_name_the_unusable_parameter(string parameter, InstrumentSpec spec) =>
        Assert.Contains(parameter, spec.Check());

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void Create_should_throw_with_the_check_message(string parameter, InstrumentSpec spec)
    {
        var thrown = Assert.Throws<ArgumentException>(() =>
            InstrumentSpec.Create(spec.TickSize, spec.LotSize, spec.MinSize, spec.PriceBandBps, spec.MaxOpenOrdersPerAccount));

        Assert.Equal(spec.Check(), thrown.Message);
        Assert.Contains(parameter, thrown.Message);
    }

    [Theory]
    // 20% band, tick 0.5: 100 + 20 = 120, already on the grid.
    [InlineData("0.5", 2_000, "100", "120", "80")]
    // 101 + 20.2 = 121.2 → down to 121 for a buy; 101 − 20.2 = 80.8 → up to 81 for a sell.
    [InlineData("0.5", 2_000, "101", "121", "81")]
    // 1% of 1234.5 = 12.345: buy 1246.845 → 1246.5; sell 1222.155 → 1222.5.
    [InlineData("0.5", 100, "1234.5", "1246.5", "1222.5")]
    // Band of one basis point on the smallest tick: 0.012345 × 0.0001 = 0.0000012345 → 0.000001 each way.
    [InlineData("0.000001", 1, "0.012345", "0.012346", "0.012344")]
    // 33.33% of 0.012345 = 0.0041145885: buy 0.0164595885 → 0.016459; sell 0.0082304115 → 0.008231.
    [InlineData("0.000001", 3_333, "0.012345", "0.016459", "0.008231")]
    // A band narrower than a tick: buy stays at best; sell 99.99 → 100 stays at best.
    [InlineData("0.5", 1, "100", "100", "100")]
    // 100% band: a buy may pay double; a sell would reach 0, so it stops at one tick.
    [InlineData("0.5", 10_000, "100", "200", "0.5")]
    // 99.99% band: a sell reaches 0.01 → up to one tick.
    [InlineData("5", 9_999, "100", "195", "5")]
    public void BandLimit_should_stop_market_orders_at_the_band_rounded_toward_the_best_price(
        string tick, int bandBps, string best, string buyLimit, string sellLimit)
    {
        var spec = InstrumentSpec.Create(Price.Parse(tick), Lot, Lot, bandBps);

        Assert.Equal(Price.Parse(buyLimit), spec.BandLimit(Side.Buy, Price.Parse(best)));
        Assert.Equal(Price.Parse(sellLimit), spec.BandLimit(Side.Sell, Price.Parse(best)));
    }

    [Property(Replay = "(2611, 3141)", MaxTest = 2_000, Arbitrary = [typeof(BandCases)])]
    public void BandLimit_should_be_the_last_tick_inside_the_band(BandCase c)
    {
        var spec = InstrumentSpec.Create(new Price(c.Tick), Lot, Lot, c.BandBps);
        var best = new Price(c.Best);
        // Exact band edges as fractions over 10,000·tick, in BigInteger so nothing rounds or overflows.
        var den = new BigInteger(10_000) * c.Tick;
        var buyTicks = BigInteger.Divide(new BigInteger(c.Best) * (10_000 + c.BandBps), den);            // floor: numerator ≥ 0
        var sellNum = new BigInteger(c.Best) * (10_000 - c.BandBps);
        var sellTicks = BigInteger.Max(1, BigInteger.Divide(sellNum + den - 1, den));                    // ceil, at least one tick

        var buy = spec.BandLimit(Side.Buy, best);
        var sell = spec.BandLimit(Side.Sell, best);

        Assert.Equal(buyTicks * c.Tick, new BigInteger(buy.Raw));
        Assert.Equal(sellTicks * c.Tick, new BigInteger(sell.Raw));
        if (c.Best % c.Tick == 0)
        {
            Assert.True(buy >= best, $"buy limit {buy} below best {best}");
            Assert.True(sell >= new Price(c.Tick) && sell <= best, $"sell limit {sell} outside one tick to best {best}");
        }
    }
}
