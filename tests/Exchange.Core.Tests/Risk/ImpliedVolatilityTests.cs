using Exchange.Core.Ledger;
using Exchange.Core.Risk;
using FsCheck.Xunit;

namespace Exchange.Core.Tests.Risk;

/// <summary>The implied-volatility solver: round trips, every failure status, and its iteration bound.</summary>
public sealed class ImpliedVolatilityTests
{
    [Fact]
    public void Hull_call_premium_should_imply_twenty_percent()
    {
        var premium = BlackScholes.CallPrice(42, 40, 0.5, 0.1, 0.2);
        var result = BlackScholes.ImpliedVolatility(OptionKind.Call, premium, 42, 40, 0.5, 0.1);

        Assert.Equal(ImpliedVolatilityStatus.Solved, result.Status);
        Assert.Equal(0.2, result.Volatility, 1e-14);
        Assert.InRange(result.Iterations, 1, 6);
    }

    [Fact]
    public void A_quoted_premium_of_4_76_should_imply_about_twenty_percent()
    {
        var result = BlackScholes.ImpliedVolatility(OptionKind.Call, 4.76, 42, 40, 0.5, 0.1);

        Assert.True(result.IsSolved);
        Assert.Equal(0.2, result.Volatility, 1e-3);
        Assert.Equal(4.76, BlackScholes.CallPrice(42, 40, 0.5, 0.1, result.Volatility), 1e-13);
    }

    /// <summary>
    /// price → implied vol → price returns the price to within the solver's tolerance, and the
    /// volatility itself wherever the premium is sensitive enough to it to pin it down.
    /// </summary>
    [Property(Replay = "(6101, 2719)", MaxTest = 2_000, Arbitrary = [typeof(RiskArbitraries)])]
    public void Premium_of_the_implied_volatility_should_give_back_the_premium(OptionCase o)
    {
        var premium = BlackScholes.Premium(o.Kind, o.Spot, o.Strike, o.Years, o.Rate, o.Volatility);
        var result = BlackScholes.ImpliedVolatility(o.Kind, premium, o.Spot, o.Strike, o.Years, o.Rate);
        var scale = Math.Max(o.Spot, o.Strike * Math.Exp(-o.Rate * o.Years));

        if (o.Years == 0)
        {
            Assert.Equal(ImpliedVolatilityStatus.NoTimeValue, result.Status);
            return;
        }
        if (result.Status == ImpliedVolatilityStatus.AtOrAboveUpperBound)
        {
            // A premium so close to S (call) or K·e^(−rT) (put) that it rounded onto the bound.
            Assert.True(premium >= (o.Kind == OptionKind.Call ? o.Spot : scale) * (1 - 1e-15), $"premium {premium:R}");
            return;
        }

        Assert.Equal(ImpliedVolatilityStatus.Solved, result.Status);
        Assert.InRange(result.Iterations, 0, BlackScholes.MaxImpliedVolatilityIterations);
        var repriced = BlackScholes.Premium(o.Kind, o.Spot, o.Strike, o.Years, o.Rate, result.Volatility);
        Assert.True(Math.Abs(repriced - premium) <= 1e-14 * scale, $"repriced {repriced:R}, premium {premium:R}, σ = {result.Volatility:R}");

        var vega = BlackScholes.Vega(o.Spot, o.Strike, o.Years, o.Rate, o.Volatility);
        if (vega * o.Volatility > 1e-6 * scale)
            Assert.True(Math.Abs(result.Volatility - o.Volatility) <= 1e-7 * o.Volatility,
                $"implied {result.Volatility:R}, true {o.Volatility:R}");
    }

    [Property(Replay = "(6103, 2719)", MaxTest = 2_000, Arbitrary = [typeof(RiskArbitraries)])]
    public void Any_target_in_the_bounds_should_get_a_typed_answer_within_the_iteration_budget(OptionCase o)
    {
        var discountedStrike = o.Strike * Math.Exp(-o.Rate * o.Years);
        var upper = o.Kind == OptionKind.Call ? o.Spot : discountedStrike;
        var target = upper * (o.Volatility / BlackScholes.MaxVolatility);    // anywhere from 0 to the upper bound

        var result = BlackScholes.ImpliedVolatility(o.Kind, target, o.Spot, o.Strike, o.Years, o.Rate);

        Assert.NotEqual(ImpliedVolatilityStatus.NotConverged, result.Status);
        Assert.True(double.IsFinite(result.Volatility));
        Assert.InRange(result.Volatility, 0, BlackScholes.MaxVolatility);
        Assert.InRange(result.Iterations, 0, BlackScholes.MaxImpliedVolatilityIterations);
        if (!result.IsSolved) Assert.Equal(0, result.Volatility);
    }

    [Theory]
    [InlineData(OptionKind.Call, 1.0)]      // intrinsic on the forward is 42 − 40·e^(−0.05) ≈ 3.95
    [InlineData(OptionKind.Call, -0.01)]
    [InlineData(OptionKind.Put, -1e-9)]
    public void A_premium_below_the_no_arbitrage_floor_should_be_reported_as_such(OptionKind kind, double premium)
    {
        var result = BlackScholes.ImpliedVolatility(kind, premium, 42, 40, 0.5, 0.1);
        Assert.Equal(ImpliedVolatilityStatus.BelowLowerBound, result.Status);
        Assert.False(result.IsSolved);
        Assert.Equal(0, result.Volatility);
    }

    [Theory]
    [InlineData(OptionKind.Call, 42.0)]
    [InlineData(OptionKind.Call, 50.0)]
    [InlineData(OptionKind.Put, 38.05)]      // K·e^(−rT) = 38.049…
    public void A_premium_at_or_above_the_no_arbitrage_ceiling_should_be_reported_as_such(OptionKind kind, double premium) =>
        Assert.Equal(ImpliedVolatilityStatus.AtOrAboveUpperBound, BlackScholes.ImpliedVolatility(kind, premium, 42, 40, 0.5, 0.1).Status);

    [Fact]
    public void A_premium_needing_more_than_the_largest_volatility_should_be_reported_as_such()
    {
        var atMax = BlackScholes.CallPrice(42, 40, 0.5, 0.1, BlackScholes.MaxVolatility);
        var target = 0.5 * (atMax + 42);
        Assert.Equal(ImpliedVolatilityStatus.AboveMaxVolatility, BlackScholes.ImpliedVolatility(OptionKind.Call, target, 42, 40, 0.5, 0.1).Status);
    }

    [Fact]
    public void At_expiry_no_volatility_can_be_implied()
    {
        Assert.Equal(ImpliedVolatilityStatus.NoTimeValue, BlackScholes.ImpliedVolatility(OptionKind.Call, 2, 42, 40, 0, 0.1).Status);
    }

    [Fact]
    public void A_premium_equal_to_the_discounted_intrinsic_value_should_imply_zero_volatility()
    {
        var intrinsic = BlackScholes.CallPrice(42, 40, 0.5, 0.1, 0);
        var result = BlackScholes.ImpliedVolatility(OptionKind.Call, intrinsic, 42, 40, 0.5, 0.1);
        Assert.Equal(new ImpliedVolatilityResult(ImpliedVolatilityStatus.Solved, 0, 0), result);
    }

    [Fact]
    public void Deep_out_of_the_money_and_short_dated_options_should_still_solve()
    {
        foreach (var (spot, strike, years, volatility) in new[] { (100.0, 300.0, 0.1, 0.5), (60_000.0, 20_000.0, 1.0 / 365, 1.2), (1.0, 1.0, 1e-6, 0.3), (2_000.0, 2_600.0, 2.0, 0.05) })
        {
            foreach (var kind in new[] { OptionKind.Call, OptionKind.Put })
            {
                var premium = BlackScholes.Premium(kind, spot, strike, years, 0.03, volatility);
                var result = BlackScholes.ImpliedVolatility(kind, premium, spot, strike, years, 0.03);
                Assert.True(result.IsSolved, $"{kind} S={spot} K={strike} T={years}: {result}");
                Assert.Equal(premium, BlackScholes.Premium(kind, spot, strike, years, 0.03, result.Volatility), 1e-14 * Math.Max(spot, strike));
            }
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_target_that_is_not_a_number_should_be_refused(double target) =>
        Assert.Equal("targetPrice", Assert.Throws<ArgumentOutOfRangeException>(
            () => BlackScholes.ImpliedVolatility(OptionKind.Call, target, 42, 40, 0.5, 0.1)).ParamName);

    [Fact]
    public void Market_inputs_outside_the_domain_should_be_refused_by_name()
    {
        Assert.Equal("spot", Assert.Throws<ArgumentOutOfRangeException>(() => BlackScholes.ImpliedVolatility(OptionKind.Call, 1, 0, 40, 0.5, 0.1)).ParamName);
        Assert.Equal("years", Assert.Throws<ArgumentOutOfRangeException>(() => BlackScholes.ImpliedVolatility(OptionKind.Put, 1, 42, 40, -1, 0.1)).ParamName);
        Assert.Equal("kind", Assert.Throws<ArgumentOutOfRangeException>(() => BlackScholes.ImpliedVolatility((OptionKind)9, 1, 42, 40, 0.5, 0.1)).ParamName);
    }
}
