using Exchange.Core.Numerics;
using Exchange.Core.Oracle;
using static Exchange.Core.Tests.Oracle.OracleFixtures;

namespace Exchange.Core.Tests.Oracle;

/// <summary>
/// Settlement averages worked by hand. Default rules unless stated: a 30-minute window (s, E] before the
/// expiry E, 30 s freshness, a 1 s grid. Each price holds from its block time until the next update.
/// </summary>
public class SettlementTwapTests
{
    private const long S = WindowStart;
    private const long E = Expiry;
    private const long Sec = 1_000;

    private static SoleFeeder NewFeeder(OracleParameters? parameters = null) => new(new OracleState(parameters ?? OracleParameters.Default));

    private static Price Settled(SoleFeeder feeder, long expiry = E)
    {
        var status = feeder.State.SettlementPrice("BTC", expiry, out var price);
        Assert.Equal(SettlementStatus.Settled, status);
        return price;
    }

    /// <summary>Feeds <paramref name="priceAt"/> every <paramref name="stepMs"/> from <paramref name="from"/> to <paramref name="to"/> inclusive.</summary>
    private static void FeedEvery(SoleFeeder feeder, long from, long to, long stepMs, Func<long, long> priceAt)
    {
        for (var t = from; t <= to; t += stepMs) feeder.Feed(t, priceAt(t));
    }

    [Fact]
    public void A_constant_index_should_settle_at_that_price()
    {
        var feeder = NewFeeder();
        FeedEvery(feeder, S - 20 * Sec, E, 20 * Sec, _ => 100_000);
        Assert.Equal(Price.FromWhole(100_000), Settled(feeder));
    }

    [Fact]
    public void A_step_from_100_to_120_halfway_should_settle_at_110()
    {
        // 100 holds for (s, s+900 s], 120 for (s+900 s, E]: (100·900 + 120·900) / 1800 = 110.
        var feeder = NewFeeder();
        FeedEvery(feeder, S - 20 * Sec, E, 20 * Sec, t => t < S + 900 * Sec ? 100 : 120);
        Assert.Equal(Price.FromWhole(110), Settled(feeder));
    }

    [Fact]
    public void Gaps_between_updates_should_weight_each_price_by_how_long_it_held()
    {
        // 100 for 600 s, 130 for 300 s, 70 for 900 s: (60,000 + 39,000 + 63,000) / 1,800 = 90.
        var feeder = NewFeeder();
        feeder.Feed(S - 5 * Sec, 100);
        feeder.Feed(S + 600 * Sec, 130);
        feeder.Feed(S + 900 * Sec, 70);
        feeder.Feed(E - 25 * Sec, 70);
        feeder.Silent(E + Sec);
        Assert.Equal(Price.FromWhole(90), Settled(feeder));
    }

    [Fact]
    public void The_price_in_force_at_the_window_start_should_count_from_the_start()
    {
        // 50 was set an hour before the window and held until s+1200 s, then 150:
        // (50·1200 + 150·600) / 1800 = 83.333333… , rounded down to the micro-dollar.
        var feeder = NewFeeder();
        feeder.Feed(S - 3_600 * Sec, 50);
        feeder.Feed(S + 1_200 * Sec, 150);
        feeder.Feed(E - 10 * Sec, 150);
        feeder.Silent(E + Sec);
        Assert.Equal(new Price(83_333_333), Settled(feeder));
    }

    [Fact]
    public void The_average_should_round_down_to_the_micro_dollar()
    {
        // 1 µUSD for 600 s then 2 µUSD for 1200 s: 5/3 µUSD, rounded down to 1.
        var feeder = NewFeeder();
        feeder.Feed(S - 5 * Sec, new Price(1));
        feeder.Feed(S + 600 * Sec, new Price(2));
        feeder.Feed(E, new Price(2));
        Assert.Equal(new Price(1), Settled(feeder));
    }

    [Fact]
    public void Several_updates_inside_one_grid_second_should_each_count_for_their_own_milliseconds()
    {
        // One-minute window. 100 holds 250 ms, 200 holds 500 ms, 300 holds 54,250 ms, 400 holds 5,000 ms:
        // (25,000 + 100,000 + 16,275,000 + 2,000,000) / 60,000 = 306.666666…
        var feeder = NewFeeder(Small());
        const long s = E - 60 * Sec;
        feeder.Feed(s - 500, 100);
        feeder.Feed(s + 250, 200);
        feeder.Feed(s + 750, 300);
        feeder.Feed(E - 5 * Sec, 400);
        feeder.Silent(E);
        Assert.Equal(new Price(306_666_666), Settled(feeder));
    }

    [Fact]
    public void An_index_first_reported_inside_the_window_should_average_from_its_first_update()
    {
        // Nothing was ever in force before s+600 s: (100·600 + 200·600) / 1200 = 150.
        var feeder = NewFeeder();
        feeder.Feed(S + 600 * Sec, 100);
        feeder.Feed(S + 1_200 * Sec, 200);
        feeder.Feed(E - 10 * Sec, 200);
        feeder.Silent(E + Sec);
        Assert.Equal(Price.FromWhole(150), Settled(feeder));
    }

    [Fact]
    public void An_update_exactly_at_expiry_should_keep_the_index_fresh_but_carry_no_weight()
    {
        var feeder = NewFeeder();
        FeedEvery(feeder, S - 20 * Sec, E - 40 * Sec, 20 * Sec, _ => 100);
        feeder.Feed(E, 999);
        Assert.Equal(Price.FromWhole(100), Settled(feeder));
    }

    [Fact]
    public void Updates_after_expiry_should_not_change_the_settlement_price()
    {
        var feeder = NewFeeder();
        FeedEvery(feeder, S - 20 * Sec, E, 20 * Sec, _ => 100);
        feeder.Feed(E + 500, 1_000_000);
        feeder.Feed(E + 60 * Sec, 1);
        Assert.Equal(Price.FromWhole(100), Settled(feeder));
    }

    [Fact]
    public void Settlement_should_wait_for_a_block_at_or_after_expiry()
    {
        var feeder = NewFeeder();
        FeedEvery(feeder, S - 20 * Sec, E - 20 * Sec, 20 * Sec, _ => 100);
        Assert.Equal(SettlementStatus.NotExpired, feeder.State.SettlementPrice("BTC", E, out var price));
        Assert.Equal(Price.Zero, price);

        feeder.Silent(E);
        Assert.Equal(Price.FromWhole(100), Settled(feeder));
    }

    [Fact]
    public void An_index_stale_at_expiry_should_not_settle_now_or_after_later_blocks()
    {
        // The last update before expiry is 31 s old at expiry; later fresh prices do not rescue the window.
        var feeder = NewFeeder();
        FeedEvery(feeder, S - 20 * Sec, E - 31 * Sec, 1 * Sec, _ => 100);
        feeder.Silent(E + Sec);
        Assert.Equal(SettlementStatus.StaleAtExpiry, feeder.State.SettlementPrice("BTC", E, out var price));
        Assert.Equal(Price.Zero, price);

        feeder.Feed(E + 2 * Sec, 100);
        Assert.Equal(SettlementStatus.StaleAtExpiry, feeder.State.SettlementPrice("BTC", E, out _));
    }

    [Fact]
    public void An_index_with_no_update_in_the_window_should_not_settle_on_the_old_price()
    {
        var feeder = NewFeeder();
        feeder.Feed(S - Sec, 100);
        feeder.Silent(E);
        Assert.Equal(SettlementStatus.NoUpdateInWindow, feeder.State.SettlementPrice("BTC", E, out var price));
        Assert.Equal(Price.Zero, price);
    }

    [Fact]
    public void A_first_update_after_expiry_should_not_settle_that_expiry()
    {
        var feeder = NewFeeder();
        feeder.Feed(E + Sec, 100);
        Assert.Equal(SettlementStatus.NoUpdateInWindow, feeder.State.SettlementPrice("BTC", E, out _));
    }

    [Fact]
    public void An_expiry_off_the_grid_or_an_unknown_underlying_should_not_settle()
    {
        var feeder = NewFeeder();
        FeedEvery(feeder, S - 20 * Sec, E + 20 * Sec, 20 * Sec, _ => 100);
        Assert.Equal(SettlementStatus.ExpiryOffGrid, feeder.State.SettlementPrice("BTC", E + 1, out _));
        Assert.Equal(SettlementStatus.UnknownUnderlying, feeder.State.SettlementPrice("ETH", E, out _));
    }

    [Fact]
    public void A_question_asked_long_after_expiry_should_be_refused_once_its_samples_are_dropped()
    {
        // A one-minute window and 62 samples: the answer survives the first blocks after expiry, not 100 more seconds of them.
        var feeder = NewFeeder(Small(maxSamples: 62));
        FeedEvery(feeder, E - 70 * Sec, E + Sec, Sec, t => t < E - 30 * Sec ? 100 : 200);
        Assert.Equal(Price.FromWhole(150), Settled(feeder));

        FeedEvery(feeder, E + 2 * Sec, E + 100 * Sec, Sec, _ => 300);
        Assert.Equal(SettlementStatus.WindowNotRetained, feeder.State.SettlementPrice("BTC", E, out _));
        Assert.Equal(Price.FromWhole(300), Settled(feeder, E + 100 * Sec));
    }

    [Fact]
    public void Memory_should_stay_bounded_by_the_sample_limit_at_any_block_rate()
    {
        // Ten blocks a second for ten minutes of a one-minute window: at most one sample per grid second is kept.
        var parameters = Small(maxSamples: 62);
        var feeder = NewFeeder(parameters);
        FeedEvery(feeder, E - 600 * Sec, E, 100, t => 100 + t % 7);
        var encoded = feeder.State.Encode();
        Assert.True(encoded.Length < 62 * 40 + 200, $"{encoded.Length} bytes");
        Assert.Equal(SettlementStatus.Settled, feeder.State.SettlementPrice("BTC", E, out _));
    }
}
