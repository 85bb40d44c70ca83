using Exchange.Core.Crypto;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;
using static Exchange.Core.Tests.Oracle.OracleFixtures;

namespace Exchange.Core.Tests.Oracle;

/// <summary>Which observations count in a block, the quorum, and the medians they produce.</summary>
public class OracleApplyTests
{
    private const ulong Block = 10;          // the block being applied
    private const ulong Committed = Block - 1; // the precommits its observations ride on
    private const long Now = 1_767_000_000_000;

    private static readonly Dictionary<PublicKey, long> FourEqual = Powers((Alice, 10), (Bob, 10), (Carol, 10), (Dave, 10));

    private static (OracleState State, OracleApplyResult Result) ApplyOne(IReadOnlyDictionary<PublicKey, long> powers, long total, params PriceObservation[] observations)
    {
        var state = new OracleState(OracleParameters.Default);
        return (state, state.Apply(Block, Now, observations, powers, total));
    }

    private static Price Index(OracleState state, string underlying = "BTC")
    {
        Assert.True(state.TryGetIndex(underlying, state.LastBlockTimeMs, out var price, out _), $"{underlying} should be fresh");
        return price;
    }

    [Fact]
    public void Four_equal_validators_should_set_the_lower_median_price_and_vol()
    {
        var (state, result) = ApplyOne(FourEqual, 40,
            Obs(Alice, Committed, Btc(100_000, 500_000)), Obs(Bob, Committed, Btc(100_300, 540_000)),
            Obs(Carol, Committed, Btc(100_100, 520_000)), Obs(Dave, Committed, Btc(99_900, 600_000)));

        var btc = Assert.Single(result.Indexes);
        Assert.Equal(new IndexResult("BTC", IndexOutcome.Updated, Price.FromWhole(100_000), 520_000, 40, 4), btc);
        Assert.True(state.TryGetIndex("BTC", Now, out var price, out var vol));
        Assert.Equal(Price.FromWhole(100_000), price);
        Assert.Equal(520_000, vol);
        Assert.Empty(result.Ignored);
    }

    [Fact]
    public void Price_and_vol_medians_should_be_taken_separately()
    {
        // The median price comes from Bob, the median vol from Alice.
        var (state, _) = ApplyOne(Powers((Alice, 1), (Bob, 1), (Carol, 1)), 3,
            Obs(Alice, Committed, Btc(1, 500_000)), Obs(Bob, Committed, Btc(2, 900_000)), Obs(Carol, Committed, Btc(3, 100_000)));

        Assert.True(state.TryGetIndex("BTC", Now, out var price, out var vol));
        Assert.Equal(Price.FromWhole(2), price);
        Assert.Equal(500_000, vol);
    }

    [Fact]
    public void A_validator_with_more_than_half_the_power_should_set_the_index_alone()
    {
        var (state, _) = ApplyOne(Powers((Alice, 51), (Bob, 20), (Carol, 20), (Dave, 9)), 100,
            Obs(Alice, Committed, Btc(123_456)), Obs(Bob, Committed, Btc(100_000)),
            Obs(Carol, Committed, Btc(100_000)), Obs(Dave, Committed, Btc(100_000)));

        Assert.Equal(Price.FromWhole(123_456), Index(state));
    }

    [Fact]
    public void Each_underlying_should_use_only_the_power_of_those_who_reported_it()
    {
        var (state, result) = ApplyOne(FourEqual, 40,
            Obs(Alice, Committed, Btc(100_000), Eth(3_000)), Obs(Bob, Committed, Btc(100_200)),
            Obs(Carol, Committed, Btc(100_100), Eth(3_300)));

        Assert.Equal(["BTC", "ETH"], result.Indexes.Select(r => r.Underlying));
        Assert.Equal(30, result.Indexes[0].ReportingPower);
        Assert.Equal(20, result.Indexes[1].ReportingPower);
        Assert.Equal(Price.FromWhole(100_100), Index(state));
        Assert.Equal(Price.FromWhole(3_000), Index(state, "ETH"));
    }

    [Fact]
    public void Reporters_holding_exactly_one_third_should_not_update_the_index()
    {
        var (state, result) = ApplyOne(Powers((Alice, 1), (Bob, 1), (Carol, 1)), 3, Obs(Alice, Committed, Btc(100_000)));

        Assert.Equal(new IndexResult("BTC", IndexOutcome.BelowQuorum, Price.Zero, 0, 1, 1), Assert.Single(result.Indexes));
        Assert.False(state.TryGetIndex("BTC", Now, out _, out _));
        Assert.Empty(state.Underlyings);
    }

    [Fact]
    public void Reporters_holding_just_over_one_third_should_update_the_index()
    {
        var (state, result) = ApplyOne(Powers((Alice, 334), (Bob, 333), (Carol, 333)), 1_000, Obs(Alice, Committed, Btc(100_000)));

        Assert.Equal(IndexOutcome.Updated, Assert.Single(result.Indexes).Outcome);
        Assert.Equal(Price.FromWhole(100_000), Index(state));
    }

    [Fact]
    public void A_two_thirds_quorum_should_need_reporters_above_two_thirds()
    {
        var parameters = OracleParameters.Default with { QuorumNumerator = 2, QuorumDenominator = 3 };
        var powers = Powers((Alice, 1), (Bob, 1), (Carol, 1));

        var twoOfThree = new OracleState(parameters);
        twoOfThree.Apply(Block, Now, [Obs(Alice, Committed, Btc(1)), Obs(Bob, Committed, Btc(2))], powers, 3);
        var all = new OracleState(parameters);
        all.Apply(Block, Now, [Obs(Alice, Committed, Btc(1)), Obs(Bob, Committed, Btc(2)), Obs(Carol, Committed, Btc(3))], powers, 3);

        Assert.Empty(twoOfThree.Underlyings);
        Assert.Equal(Price.FromWhole(2), Index(all));
    }

    [Fact]
    public void A_below_quorum_block_should_keep_the_previous_index_and_its_update_time()
    {
        var powers = Powers((Alice, 1), (Bob, 1), (Carol, 1));
        var state = new OracleState(OracleParameters.Default);
        state.Apply(Block, Now, [Obs(Alice, Committed, Btc(100)), Obs(Bob, Committed, Btc(100))], powers, 3);

        state.Apply(Block + 1, Now + 5_000, [Obs(Carol, Block, Btc(999))], powers, 3);

        Assert.True(state.TryGetLatest("BTC", out var latest));
        Assert.Equal(new IndexReading("BTC", Price.FromWhole(100), 550_000, Now, Block), latest);
    }

    [Fact]
    public void Observations_from_outside_the_validator_set_should_be_ignored()
    {
        var (state, result) = ApplyOne(Powers((Alice, 10), (Bob, 0)), 10,
            Obs(Mallory, Committed, Btc(1)), Obs(Bob, Committed, Btc(2)), Obs(Alice, Committed, Btc(100_000)));

        Assert.Equal(
            [new IgnoredObservation(0, Mallory.PublicKey, IgnoredReason.NotAValidator), new IgnoredObservation(1, Bob.PublicKey, IgnoredReason.NotAValidator)],
            result.Ignored);
        Assert.Equal(1, result.Indexes[0].Reporters);
        Assert.Equal(Price.FromWhole(100_000), Index(state));
    }

    [Fact]
    public void A_second_observation_from_one_validator_in_a_block_should_be_ignored()
    {
        // Alice tries to count twice to outvote Bob and Carol; her second report does not count.
        var (state, result) = ApplyOne(Powers((Alice, 1), (Bob, 1), (Carol, 1)), 3,
            Obs(Alice, Committed, Btc(1)), Obs(Bob, Committed, Btc(100)), Obs(Alice, Committed, Btc(1), Eth(1)), Obs(Carol, Committed, Btc(101)));

        Assert.Equal([new IgnoredObservation(2, Alice.PublicKey, IgnoredReason.Duplicate)], result.Ignored);
        Assert.Equal(Price.FromWhole(100), Index(state));
        Assert.DoesNotContain("ETH", state.Underlyings);
    }

    [Fact]
    public void An_observation_for_another_height_should_be_ignored_as_a_replay()
    {
        var (state, result) = ApplyOne(Powers((Alice, 1)), 1,
            Obs(Alice, Committed - 1, Btc(1)));

        Assert.Equal([new IgnoredObservation(0, Alice.PublicKey, IgnoredReason.WrongHeight)], result.Ignored);
        Assert.Empty(state.Underlyings);
    }

    [Fact]
    public void A_malformed_observation_should_be_ignored()
    {
        var unsorted = Obs(Alice, Committed, Btc(1)) with { Quotes = [Eth(3_000), Btc(100_000)] };
        var (state, result) = ApplyOne(Powers((Alice, 1)), 1, unsorted);

        Assert.Equal(IgnoredReason.Malformed, Assert.Single(result.Ignored).Reason);
        Assert.Empty(state.Underlyings);
    }

    [Fact]
    public void A_new_underlying_beyond_the_limit_should_not_be_admitted()
    {
        var parameters = OracleParameters.Default with { MaxUnderlyings = 1 };
        var state = new OracleState(parameters);
        var powers = Powers((Alice, 1));

        var result = state.Apply(Block, Now, [Obs(Alice, Committed, Btc(100_000), Eth(3_000))], powers, 1);

        Assert.Equal([IndexOutcome.Updated, IndexOutcome.NoCapacity], result.Indexes.Select(r => r.Outcome));
        Assert.Equal(["BTC"], state.Underlyings);
    }

    [Fact]
    public void Apply_should_refuse_a_block_that_does_not_follow_the_last()
    {
        var state = new OracleState(OracleParameters.Default);
        var powers = Powers((Alice, 1));
        state.Apply(Block, Now, [], powers, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => state.Apply(Block, Now + 1, [], powers, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => state.Apply(Block + 1, Now, [], powers, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => state.Apply(Block + 1, Now + 1, [], powers, 0));
        Assert.Equal(Block, state.LastHeight);
    }

    [Fact]
    public void Apply_should_refuse_reporters_holding_more_than_the_total_power() =>
        Assert.Throws<ArgumentException>(() => ApplyOne(Powers((Alice, 5)), 4, Obs(Alice, Committed, Btc(1))));

    [Fact]
    public void Invalid_parameters_should_be_refused_at_construction()
    {
        Assert.Throws<ArgumentException>(() => new OracleState(OracleParameters.Default with { QuorumNumerator = 1, QuorumDenominator = 4 }));
        Assert.Throws<ArgumentException>(() => new OracleState(OracleParameters.Default with { SettlementWindowMs = 1_800_500 }));
        Assert.Throws<ArgumentException>(() => new OracleState(OracleParameters.Default with { MaxSamples = 1_801 }));
        Assert.Throws<ArgumentException>(() => new OracleState(OracleParameters.Default with { MaxAgeMs = 0 }));
    }
}
