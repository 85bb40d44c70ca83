using Exchange.Core.Ledger;
using Exchange.Core.Numerics;
using Exchange.Core.Risk;
using Xunit.Abstractions;

namespace Exchange.Core.Tests.Risk;

/// <summary>Textbook values, values from an independent high-precision evaluation, and the degenerate corners of the model.</summary>
public sealed class BlackScholesTests(ITestOutputHelper output)
{
    [Fact]
    public void Hull_example_should_price_the_call_at_4_7594_and_the_put_at_0_8086()
    {
        // Hull, Options, Futures and Other Derivatives: S = 42, K = 40, r = 10%, σ = 20%, six months.
        Assert.Equal(4.7594, Math.Round(BlackScholes.CallPrice(42, 40, 0.5, 0.1, 0.2), 4));
        Assert.Equal(0.8086, Math.Round(BlackScholes.PutPrice(42, 40, 0.5, 0.1, 0.2), 4));
    }

    [Fact]
    public void Haug_example_should_price_the_call_at_2_1334()
    {
        // Haug, The Complete Guide to Option Pricing Formulas: S = 60, K = 65, three months, r = 8%, σ = 30%.
        Assert.Equal(2.1334, Math.Round(BlackScholes.CallPrice(60, 65, 0.25, 0.08, 0.3), 4));
    }

    /// <summary>Premiums and greeks from mpmath at 40 digits (the formulas of the BlackScholes doc comment, evaluated independently).</summary>
    public static TheoryData<double, double, double, double, double, double[]> MpmathValues => new()
    {
        //  S, K, T, r, σ, { call, put, call delta, gamma, vega, call theta, put theta }
        { 42, 40, 0.5, 0.1, 0.2, [4.759422392871533395, 0.8085993729000936531, 0.7791312909426689359, 0.04996267040591185347, 8.813415059602851441, -4.559092194592626733, -0.7541744965897704956] },
        { 60, 65, 0.25, 0.08, 0.3, [2.133368444916199889, 5.846282209855294506, 0.3724827979619728544, 0.04204275575378517116, 11.35154405352199579, -8.428174386737370968, -3.331141285542243293] },
        { 60_000, 65_000, 30.0 / 365, 0.05, 0.6, [2316.457602395707622, 7049.882447068991490, 0.3611349803732181528, 0.00003628787738652017735, 6442.340971634266506, -24482.12660746494231, -21245.45536523127794] },
        { 100, 300, 0.1, 0.03, 0.5, [8.007058540479385647e-12, 199.1013486510198998, 3.687248117391738294e-12, 1.630207857317411771e-12, 8.151039286587059306e-10, -2.048581354242725546e-9, 8.973040457481775097] },
        { 100, 20, 1, 0.05, 0.3, [80.97541154504447950, 3.505875962731938048e-8, 0.9999999933225010543, 1.301656539734864010e-9, 0.000003904969619204591887, -0.9512299751057242300, -0.0000005506050101707494859] },
        { 2_000, 2_000, 7.0 / 365, 0, 0.8, [88.35081839663757717, 88.35081839663757717, 0.5220877045991593943, 0.001797716400793216869, 110.3256092541590746, -2301.076993015317848, -2301.076993015317848] },
    };

    [Theory]
    [MemberData(nameof(MpmathValues))]
    public void Premiums_and_greeks_should_match_an_independent_high_precision_evaluation(
        double spot, double strike, double years, double rate, double volatility, double[] expected)
    {
        double[] actual =
        [
            BlackScholes.CallPrice(spot, strike, years, rate, volatility),
            BlackScholes.PutPrice(spot, strike, years, rate, volatility),
            BlackScholes.Delta(OptionKind.Call, spot, strike, years, rate, volatility),
            BlackScholes.Gamma(spot, strike, years, rate, volatility),
            BlackScholes.Vega(spot, strike, years, rate, volatility),
            BlackScholes.Theta(OptionKind.Call, spot, strike, years, rate, volatility),
            BlackScholes.Theta(OptionKind.Put, spot, strike, years, rate, volatility),
        ];
        string[] names = ["call", "put", "delta", "gamma", "vega", "call theta", "put theta"];

        for (var i = 0; i < expected.Length; i++)
        {
            var relative = Math.Abs(actual[i] - expected[i]) / Math.Abs(expected[i]);
            output.WriteLine($"{names[i]}: relative error {relative:E2}");
            Assert.True(relative <= 1e-12, $"{names[i]} = {actual[i]:R}, expected {expected[i]:R} (relative error {relative:E2})");
        }
    }

    [Fact]
    public void Put_delta_should_be_call_delta_minus_one()
    {
        var call = BlackScholes.Delta(OptionKind.Call, 42, 40, 0.5, 0.1, 0.2);
        var put = BlackScholes.Delta(OptionKind.Put, 42, 40, 0.5, 0.1, 0.2);
        Assert.Equal(call - 1, put, 1e-15);
    }

    [Theory]
    [InlineData(42, 40, 2)]
    [InlineData(40, 42, 0)]
    [InlineData(40, 40, 0)]
    public void At_expiry_the_call_should_be_worth_its_payoff(double spot, double strike, double payoff)
    {
        Assert.Equal(payoff, BlackScholes.CallPrice(spot, strike, 0, 0.1, 0.5));
        Assert.Equal(Math.Max(strike - spot, 0), BlackScholes.PutPrice(spot, strike, 0, 0.1, 0.5));
        Assert.Equal(0, BlackScholes.Gamma(spot, strike, 0, 0.1, 0.5));
        Assert.Equal(0, BlackScholes.Vega(spot, strike, 0, 0.1, 0.5));
        Assert.Equal(0, BlackScholes.Theta(OptionKind.Call, spot, strike, 0, 0.1, 0.5));
        Assert.Equal(spot > strike ? 1 : spot < strike ? 0 : 0.5, BlackScholes.Delta(OptionKind.Call, spot, strike, 0, 0.1, 0.5));
    }

    [Fact]
    public void At_zero_volatility_the_premium_should_be_the_discounted_intrinsic_value()
    {
        var discountedStrike = 40 * Math.Exp(-0.1 * 0.5);
        Assert.Equal(42 - discountedStrike, BlackScholes.CallPrice(42, 40, 0.5, 0.1, 0), 1e-14);
        Assert.Equal(0, BlackScholes.PutPrice(42, 40, 0.5, 0.1, 0));
        Assert.Equal(1, BlackScholes.Delta(OptionKind.Call, 42, 40, 0.5, 0.1, 0));
        Assert.Equal(0, BlackScholes.Gamma(42, 40, 0.5, 0.1, 0));
        Assert.Equal(0, BlackScholes.Vega(42, 40, 0.5, 0.1, 0));
        // The call is a forward: it loses r·K·e^{−rT} a year as the discount unwinds.
        Assert.Equal(-0.1 * discountedStrike, BlackScholes.Theta(OptionKind.Call, 42, 40, 0.5, 0.1, 0), 1e-13);
    }

    [Fact]
    public void A_tiny_volatility_should_approach_the_zero_volatility_limit_continuously()
    {
        var limit = BlackScholes.CallPrice(42, 40, 0.5, 0.1, 0);
        foreach (var volatility in new[] { 1e-3, 1e-6, 1e-12, 1e-99, 1e-101, 1e-200 })
            Assert.Equal(limit, BlackScholes.CallPrice(42, 40, 0.5, 0.1, volatility), 1e-13);
    }

    [Fact]
    public void Deep_in_and_out_of_the_money_options_should_stay_inside_their_bounds()
    {
        Assert.InRange(BlackScholes.CallPrice(1, 1e6, 1, 0.05, 0.5), 0, 1e-100);
        Assert.Equal(1e6 * Math.Exp(-0.05) - 1, BlackScholes.PutPrice(1, 1e6, 1, 0.05, 0.5), 1e-9);
        Assert.Equal(1e6 - 1 * Math.Exp(-0.05), BlackScholes.CallPrice(1e6, 1, 1, 0.05, 0.5), 1e-9);
        Assert.InRange(BlackScholes.PutPrice(1e6, 1, 1, 0.05, 0.5), 0, 1e-100);
        Assert.Equal(1, BlackScholes.Delta(OptionKind.Call, 1e6, 1, 1, 0.05, 0.5));
        Assert.Equal(-1, BlackScholes.Delta(OptionKind.Put, 1, 1e6, 1, 0.05, 0.5));
    }

    [Fact]
    public void At_the_forward_with_vanishing_volatility_delta_should_be_one_half()
    {
        var spot = 40 * Math.Exp(-0.1 * 0.5) ;
        var forwardStrike = spot / DeterministicMath.Exp(-0.1 * 0.5);
        var delta = BlackScholes.Delta(OptionKind.Call, spot, forwardStrike, 0.5, 0.1, 0);
        Assert.InRange(delta, 0, 1);
        Assert.Equal(0.5, BlackScholes.Delta(OptionKind.Call, 40, 40, 0.5, 0, 0));
        Assert.Equal(-0.5, BlackScholes.Delta(OptionKind.Put, 40, 40, 0.5, 0, 0));
    }

    public static TheoryData<string, double, double, double, double, double> InvalidInputs => new()
    {
        { "spot", double.NaN, 40, 0.5, 0.1, 0.2 },
        { "spot", 0, 40, 0.5, 0.1, 0.2 },
        { "spot", -42, 40, 0.5, 0.1, 0.2 },
        { "spot", double.PositiveInfinity, 40, 0.5, 0.1, 0.2 },
        { "spot", 1e-13, 40, 0.5, 0.1, 0.2 },
        { "spot", 2e15, 40, 0.5, 0.1, 0.2 },
        { "strike", 42, 0, 0.5, 0.1, 0.2 },
        { "strike", 42, double.NaN, 0.5, 0.1, 0.2 },
        { "years", 42, 40, -1e-9, 0.1, 0.2 },
        { "years", 42, 40, 101, 0.1, 0.2 },
        { "years", 42, 40, double.NaN, 0.1, 0.2 },
        { "rate", 42, 40, 0.5, 1.5, 0.2 },
        { "rate", 42, 40, 0.5, double.NegativeInfinity, 0.2 },
        { "volatility", 42, 40, 0.5, 0.1, -0.2 },
        { "volatility", 42, 40, 0.5, 0.1, 10.5 },
        { "volatility", 42, 40, 0.5, 0.1, double.NaN },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public void Inputs_outside_the_domain_should_be_refused_by_name_never_priced(
        string parameter, double spot, double strike, double years, double rate, double volatility)
    {
        var calls = new Func<double>[]
        {
            () => BlackScholes.CallPrice(spot, strike, years, rate, volatility),
            () => BlackScholes.PutPrice(spot, strike, years, rate, volatility),
            () => BlackScholes.Delta(OptionKind.Call, spot, strike, years, rate, volatility),
            () => BlackScholes.Gamma(spot, strike, years, rate, volatility),
            () => BlackScholes.Vega(spot, strike, years, rate, volatility),
            () => BlackScholes.Theta(OptionKind.Put, spot, strike, years, rate, volatility),
        };
        foreach (var call in calls)
            Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => call()).ParamName);
    }

    [Fact]
    public void An_undefined_option_kind_should_be_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BlackScholes.Premium((OptionKind)0, 42, 40, 0.5, 0.1, 0.2));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlackScholes.Delta((OptionKind)3, 42, 40, 0.5, 0.1, 0.2));
    }

    [Fact]
    public void Fixed_point_premiums_should_round_down_for_payouts_and_up_for_charges()
    {
        var spot = Price.Parse("42");
        var strike = Price.Parse("40");

        // call = 4.7594223928…, put = 0.8085993729…
        Assert.Equal(Price.Parse("4.759422"), BlackScholes.PremiumFloor(OptionKind.Call, spot, strike, 0.5, 0.1, 0.2));
        Assert.Equal(Price.Parse("4.759423"), BlackScholes.PremiumCeil(OptionKind.Call, spot, strike, 0.5, 0.1, 0.2));
        Assert.Equal(Price.Parse("0.808599"), BlackScholes.PremiumFloor(OptionKind.Put, spot, strike, 0.5, 0.1, 0.2));
        Assert.Equal(Price.Parse("0.8086"), BlackScholes.PremiumCeil(OptionKind.Put, spot, strike, 0.5, 0.1, 0.2));
    }

    [Fact]
    public void Fixed_point_premium_of_a_whole_payoff_should_be_exact_in_both_directions()
    {
        var payoff = BlackScholes.PremiumFloor(OptionKind.Call, Price.Parse("65000"), Price.Parse("60000"), 0, 0.05, 0.6);
        Assert.Equal(Price.Parse("5000"), payoff);
        Assert.Equal(payoff, BlackScholes.PremiumCeil(OptionKind.Call, Price.Parse("65000"), Price.Parse("60000"), 0, 0.05, 0.6));
    }

    [Fact]
    public void Fixed_point_premiums_should_refuse_a_price_that_is_not_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BlackScholes.PremiumFloor(OptionKind.Call, Price.Zero, Price.Parse("40"), 0.5, 0.1, 0.2));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlackScholes.PremiumCeil(OptionKind.Put, Price.Parse("42"), new Price(-1), 0.5, 0.1, 0.2));
    }

    [Fact]
    public void Fixed_point_premiums_should_accept_every_positive_price()
    {
        var smallest = new Price(1);
        var largest = new Price(long.MaxValue / 2);
        Assert.Equal(Price.Zero, BlackScholes.PremiumFloor(OptionKind.Call, smallest, largest, 1, 0.05, 0.5));
        Assert.True(BlackScholes.PremiumCeil(OptionKind.Call, largest, smallest, 1, 0.05, 0.5) > Price.Zero);
        Assert.True(BlackScholes.PremiumCeil(OptionKind.Put, smallest, largest, 1, 0.05, 0.5) <= largest);
    }
}
