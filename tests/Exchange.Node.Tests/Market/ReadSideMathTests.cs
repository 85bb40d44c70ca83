using Exchange.Core.Ledger;
using Exchange.Core.Markets;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;
using Exchange.Core.Risk;
using Exchange.Node.Market;

namespace Exchange.Node.Tests.Market;

public class ReadSideMathTests
{
    private static PriceLevel[] RandomSide(Random random, Side side)
    {
        var prices = Enumerable.Range(0, random.Next(0, 12)).Select(_ => random.Next(1, 30) * 100L).Distinct();
        var levels = prices.Select(p => new PriceLevel(new Price(p * Price.Scale), new Quantity(random.Next(1, 4) * Quantity.Scale), random.Next(1, 3)));
        return side == Side.Buy ? [.. levels.OrderByDescending(l => l.Price)] : [.. levels.OrderBy(l => l.Price)];
    }

    [Theory]
    [InlineData(Side.Buy)]
    [InlineData(Side.Sell)]
    public void Book_diff_applied_to_the_old_side_should_give_the_new_side(Side side)
    {
        const int seed = 20261123;
        var random = new Random(seed);
        for (var i = 0; i < 2_000; i++)
        {
            var before = RandomSide(random, side);
            var after = RandomSide(random, side);
            var changes = BookDiff.Compute(side, before, after);
            Assert.True(after.SequenceEqual(BookDiff.Apply(side, before, changes)), $"seed {seed}, case {i}");
            Assert.Empty(BookDiff.Compute(side, after, after));
        }
    }

    [Fact]
    public void Book_diff_should_name_new_changed_and_deleted_levels_best_first()
    {
        PriceLevel L(long price, long size, int orders = 1) => new(Price.FromWhole(price), Quantity.FromWhole(size), orders);
        var changes = BookDiff.Compute(Side.Buy, [L(100, 1), L(99, 2), L(97, 1)], [L(101, 1), L(100, 3, 2), L(97, 1)]);
        Assert.Equal(
            [new LevelChange(LevelAction.New, Price.FromWhole(101), Quantity.FromWhole(1), 1),
             new LevelChange(LevelAction.Change, Price.FromWhole(100), Quantity.FromWhole(3), 2),
             new LevelChange(LevelAction.Delete, Price.FromWhole(99), Quantity.Zero, 0)],
            changes);
    }

    [Fact]
    public void Trade_window_should_count_the_trailing_day_by_minute_buckets()
    {
        var window = new TradeWindow(TimeSpan.FromHours(24), TimeSpan.FromMinutes(1));
        const long day = 86_400_000, t0 = 1_795_392_000_000;
        window.Add(t0, Price.FromWhole(100), Quantity.FromWhole(2));
        window.Add(t0 + 60_000, Price.FromWhole(120), Quantity.FromWhole(1));
        window.Add(t0 + 60_000, Price.FromWhole(90), Quantity.FromWhole(1));

        Assert.Equal((Quantity.FromWhole(4), Price.FromWhole(120), Price.FromWhole(90)), window.At(t0 + 60_000));
        Assert.Equal((Quantity.FromWhole(4), Price.FromWhole(120), Price.FromWhole(90)), window.At(t0 + day - 1));
        // The first minute has left the window; the second is still in it.
        Assert.Equal((Quantity.FromWhole(2), Price.FromWhole(120), Price.FromWhole(90)), window.At(t0 + day));
        Assert.Equal((Quantity.Zero, (Price?)null, (Price?)null), window.At(t0 + day + 60_000));
        window.Add(t0 + day + 60_000, Price.FromWhole(50), Quantity.FromWhole(1));
        Assert.Equal((Quantity.FromWhole(1), Price.FromWhole(50), Price.FromWhole(50)), window.At(t0 + day + 60_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => window.Add(t0, Price.FromWhole(1), Quantity.FromWhole(1)));
    }

    private static InstrumentView View(OptionKind kind, long strike, Price mark) =>
        new(0, new Instrument(new OptionSeries("BTC", new DateOnly(2026, 11, 27), Price.FromWhole(strike), kind),
            InstrumentSpec.Create(Price.Parse("0.1"), Quantity.Parse("0.1"), Quantity.Parse("0.1"))), mark, false);

    [Theory]
    [InlineData(OptionKind.Call, 100_000)]
    [InlineData(OptionKind.Call, 110_000)]
    [InlineData(OptionKind.Put, 95_000)]
    [InlineData(OptionKind.Put, 100_000)]
    public void Mark_greeks_should_reprice_the_mark_and_have_the_textbook_signs(OptionKind kind, long strike)
    {
        const long now = 1_795_392_000_000;   // four days and eight hours before expiry
        var index = new IndexView("BTC", Price.FromWhole(100_000), 550_000, now, true);
        var years = (View(kind, strike, Price.Zero).ExpiryUnixMs - now) / Marks.MillisecondsPerYear;
        // A mark priced at 60% volatility: the mark IV must come back as 60%.
        var mark = BlackScholes.PremiumFloor(kind, index.Price, Price.FromWhole(strike), years, 0, 0.60);

        var greeks = MarkGreeks.Compute(View(kind, strike, mark), index, now, 0)!;

        Assert.InRange(greeks.MarkIv!.Value, 0.5999, 0.6001);
        if (kind == OptionKind.Call) Assert.InRange(greeks.Delta, 0.0, 1.0);
        else Assert.InRange(greeks.Delta, -1.0, 0.0);
        Assert.True(greeks.Delta is not 0.0 and not 1.0 and not -1.0);
        Assert.True(greeks.Gamma > 0);
        Assert.True(greeks.Vega > 0);
        Assert.True(greeks.Theta < 0);
        // Vega per vol point: moving the volatility one point moves the premium by about vega.
        var bumped = BlackScholes.Premium(kind, 100_000, strike, years, 0, 0.61) - BlackScholes.Premium(kind, 100_000, strike, years, 0, 0.60);
        Assert.InRange(greeks.Vega, bumped * 0.98, bumped * 1.02);
    }

    [Fact]
    public void Mark_greeks_should_fall_back_to_the_oracle_volatility_when_no_volatility_reprices_the_mark()
    {
        const long now = 1_795_392_000_000;
        var index = new IndexView("BTC", Price.FromWhole(100_000), 550_000, now, true);
        foreach (var mark in new[] { Price.FromWhole(10_000), Price.FromWhole(9_000) })
        {
            var greeks = MarkGreeks.Compute(View(OptionKind.Call, 90_000, mark), index, now, 0)!;
            Assert.Null(greeks.MarkIv);
            Assert.InRange(greeks.Delta, 0.5, 1.0);
            Assert.True(greeks.Gamma > 0);
        }
        Assert.Null(MarkGreeks.Compute(View(OptionKind.Call, 90_000, Price.FromWhole(10_000)), index with { Price = Price.Zero }, now, 0));
    }
}
