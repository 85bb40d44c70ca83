using Exchange.Core.Numerics;
using Exchange.Core.Oracle;
using Exchange.Node.Oracle;
using Exchange.Node.Tests.Market;

namespace Exchange.Node.Tests.Oracle;

public class SimulatedPriceSourceTests
{
    private static readonly SimulatedFeedSettings Feed = new(Seed: 7, Volatility: 0.5, Tick: TimeSpan.FromSeconds(1), SpreadBps: 2,
        [new SimulatedIndex("ETH", Price.FromWhole(3_000), 650_000), new SimulatedIndex("BTC", Price.FromWhole(100_000), 550_000)]);

    private static SimulatedPriceSource Source(SimulatedFeedSettings? feed = null, string validator = "validator") =>
        new(feed ?? Feed, ChainFixture.Key(validator).PublicKey);

    [Fact]
    public void Feed_should_be_a_function_of_seed_key_and_height_whatever_the_order_of_questions()
    {
        var forward = Source();
        var quotes = Enumerable.Range(1, 300).Select(h => forward.Quotes((ulong)h)).ToArray();
        var backward = Source();
        for (var h = 300; h >= 1; h--) Assert.Equal(quotes[h - 1], backward.Quotes((ulong)h));
        Assert.Equal(quotes[41], forward.Quotes(42));
        Assert.Equal(["BTC", "ETH"], quotes[0].Select(q => q.Underlying));
        Assert.All(quotes, q => Assert.Equal((550_000L, 650_000L), (q[0].ImpliedVol, q[1].ImpliedVol)));
    }

    [Fact]
    public void Feed_should_give_the_same_bits_on_every_machine()
    {
        // Pinned values: the walk uses only basic arithmetic and Core's deterministic exp and ln.
        var quotes = Source().Quotes(1_000);
        Assert.Equal((Price.Parse("100233.733556"), Price.Parse("3001.922739")), (quotes[0].Price, quotes[1].Price));
    }

    [Fact]
    public void Validators_should_quote_the_same_walk_closely_and_differently()
    {
        var a = Source(validator: "a");
        var b = Source(validator: "b");
        var differ = 0;
        for (ulong h = 1; h <= 2_000; h += 7)
        {
            var (qa, qb) = (a.Quotes(h)[0].Price.Raw, b.Quotes(h)[0].Price.Raw);
            var shared = a.SharedPrice("BTC", h) * Price.Scale;
            Assert.InRange(Math.Abs(qa - shared) / shared, 0, 0.0015);   // 2 bps noise: 7.5 standard deviations
            Assert.InRange(Math.Abs(qa - qb) / shared, 0, 0.002);
            if (qa != qb) differ++;
        }
        Assert.True(differ > 250, $"{differ} of 286 heights differ");
    }

    [Fact]
    public void Walk_should_move_with_the_configured_volatility_and_depend_on_the_seed()
    {
        const int steps = 20_000;
        var source = Source(Feed with { SpreadBps = 0 });
        var prices = Enumerable.Range(0, steps + 1).Select(h => source.SharedPrice("BTC", (ulong)h)).ToArray();
        var returns = Enumerable.Range(1, steps).Select(h => Math.Log(prices[h] / prices[h - 1])).ToArray();
        var mean = returns.Average();
        var stdDev = Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / (steps - 1));
        var expected = 0.5 * Math.Sqrt(1.0 / (365 * 86_400));
        Assert.InRange(stdDev / expected, 0.97, 1.03);
        Assert.Equal(100_000, source.SharedPrice("BTC", 0), 1e-9);

        var other = Source(Feed with { Seed = 8 });
        Assert.NotEqual(source.SharedPrice("BTC", 100), other.SharedPrice("BTC", 100));
        Assert.NotEqual(source.SharedPrice("BTC", 100), source.SharedPrice("ETH", 100) * 100_000 / 3_000);
    }

    [Fact]
    public void Feed_should_refuse_unusable_settings()
    {
        Assert.Throws<ArgumentException>(() => Source(Feed with { Volatility = -1 }));
        Assert.Throws<ArgumentException>(() => Source(Feed with { Tick = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => Source(Feed with { Indexes = [] }));
        Assert.Throws<ArgumentException>(() => Source(Feed with { Indexes = [new SimulatedIndex("BTC", Price.Zero, 1)] }));
    }

    [Fact]
    public void Feed_from_genesis_should_start_at_the_genesis_index()
    {
        var feed = OracleSettings.Default.SimulatedFeed(ChainFixture.Genesis());
        var source = new SimulatedPriceSource(feed, ChainFixture.Validator.PublicKey);
        Assert.Equal(100_000, source.SharedPrice("BTC", 0), 1e-9);
        var quote = Assert.Single(source.Quotes(1));
        Assert.Equal(("BTC", 550_000L), (quote.Underlying, quote.ImpliedVol));
        Assert.InRange(quote.Price.Raw, Price.FromWhole(99_000).Raw, Price.FromWhole(101_000).Raw);
        Assert.True(PriceObservation.Create(ChainFixture.Validator.PublicKey, 1, 0, source.Quotes(1)).Validate().IsValid);
    }
}
