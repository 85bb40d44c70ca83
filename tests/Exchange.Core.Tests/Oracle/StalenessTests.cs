using Exchange.Core.Numerics;
using Exchange.Core.Oracle;
using static Exchange.Core.Tests.Oracle.OracleFixtures;

namespace Exchange.Core.Tests.Oracle;

/// <summary>An index is usable only while the block time is within the max age of its last update.</summary>
public class StalenessTests
{
    private const long T = 1_767_000_000_000;
    private const long MaxAge = 30_000;

    private static SoleFeeder FedAt(long time)
    {
        var feeder = new SoleFeeder(new OracleState(OracleParameters.Default));
        feeder.Feed(time, 100_000);
        return feeder;
    }

    [Fact]
    public void Index_should_be_fresh_up_to_exactly_the_max_age()
    {
        var state = FedAt(T).State;
        Assert.True(state.IsFresh("BTC", T));
        Assert.True(state.IsFresh("BTC", T + MaxAge));
        Assert.True(state.TryGetIndex("BTC", T + MaxAge, out var price, out var vol));
        Assert.Equal(Price.FromWhole(100_000), price);
        Assert.Equal(550_000, vol);
    }

    [Fact]
    public void Index_should_be_stale_one_millisecond_after_the_max_age()
    {
        var state = FedAt(T).State;
        Assert.False(state.IsFresh("BTC", T + MaxAge + 1));
        Assert.False(state.TryGetIndex("BTC", T + MaxAge + 1, out var price, out var vol));
        Assert.Equal(Price.Zero, price);
        Assert.Equal(0, vol);
    }

    [Fact]
    public void Blocks_without_reports_should_let_the_index_go_stale_on_block_time()
    {
        var feeder = FedAt(T);
        feeder.Silent(T + 20_000);
        Assert.True(feeder.State.IsFresh("BTC", feeder.State.LastBlockTimeMs));
        feeder.Silent(T + 31_000);
        Assert.False(feeder.State.IsFresh("BTC", feeder.State.LastBlockTimeMs));
    }

    [Fact]
    public void A_new_report_should_make_a_stale_index_fresh_again()
    {
        var feeder = FedAt(T);
        feeder.Silent(T + 60_000);
        feeder.Feed(T + 61_000, 101_000);
        Assert.True(feeder.State.TryGetIndex("BTC", T + 61_000, out var price, out _));
        Assert.Equal(Price.FromWhole(101_000), price);
    }

    [Fact]
    public void A_time_before_the_last_update_should_not_count_as_fresh() =>
        Assert.False(FedAt(T).State.IsFresh("BTC", T - 1));

    [Fact]
    public void An_underlying_never_reported_should_be_neither_fresh_nor_known()
    {
        var state = FedAt(T).State;
        Assert.False(state.IsFresh("ETH", T));
        Assert.False(state.TryGetIndex("ETH", T, out _, out _));
        Assert.False(state.TryGetLatest("ETH", out _));
    }

    [Fact]
    public void The_latest_reading_should_stay_visible_for_display_once_stale()
    {
        var state = FedAt(T).State;
        Assert.True(state.TryGetLatest("BTC", out var latest));
        Assert.Equal(new IndexReading("BTC", Price.FromWhole(100_000), 550_000, T, 2), latest);
    }
}
