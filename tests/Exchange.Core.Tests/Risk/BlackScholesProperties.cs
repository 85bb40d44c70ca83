using Exchange.Core.Ledger;
using Exchange.Core.Risk;
using FsCheck.Xunit;

namespace Exchange.Core.Tests.Risk;

/// <summary>
/// Relations the model must keep for every input: put-call parity, greeks that are the derivatives
/// of the premium (against central finite differences), no-arbitrage bounds, monotonicity, and
/// finite results over the whole accepted domain.
/// </summary>
public sealed class BlackScholesProperties
{
    private const int Cases = 2_000;

    [Property(Replay = "(5101, 2719)", MaxTest = Cases, Arbitrary = [typeof(RiskArbitraries)])]
    public void Call_minus_put_should_equal_spot_minus_discounted_strike(OptionCase o)
    {
        var call = BlackScholes.CallPrice(o.Spot, o.Strike, o.Years, o.Rate, o.Volatility);
        var put = BlackScholes.PutPrice(o.Spot, o.Strike, o.Years, o.Rate, o.Volatility);
        var discountedStrike = o.Strike * Math.Exp(-o.Rate * o.Years);

        // Each premium is within a few ulps of max(S, K·e^{−rT}); so is their difference.
        var tolerance = 1e-14 * Math.Max(o.Spot, discountedStrike);
        Assert.True(Math.Abs(call - put - (o.Spot - discountedStrike)) <= tolerance,
            $"C − P = {call - put:R}, S − K·e^(−rT) = {o.Spot - discountedStrike:R}");
    }

    [Property(Replay = "(5102, 2719)", MaxTest = Cases, Arbitrary = [typeof(RiskArbitraries)])]
    public void Every_output_should_be_finite_and_inside_its_no_arbitrage_bounds(OptionCase o)
    {
        var premium = BlackScholes.Premium(o.Kind, o.Spot, o.Strike, o.Years, o.Rate, o.Volatility);
        var delta = BlackScholes.Delta(o.Kind, o.Spot, o.Strike, o.Years, o.Rate, o.Volatility);
        var gamma = BlackScholes.Gamma(o.Spot, o.Strike, o.Years, o.Rate, o.Volatility);
        var vega = BlackScholes.Vega(o.Spot, o.Strike, o.Years, o.Rate, o.Volatility);
        var theta = BlackScholes.Theta(o.Kind, o.Spot, o.Strike, o.Years, o.Rate, o.Volatility);
        var discountedStrike = o.Strike * Math.Exp(-o.Rate * o.Years);
        var (lower, upper) = o.Kind == OptionKind.Call
            ? (Math.Max(o.Spot - discountedStrike, 0), o.Spot)
            : (Math.Max(discountedStrike - o.Spot, 0), discountedStrike);
        var slack = 1e-14 * Math.Max(o.Spot, discountedStrike);

        Assert.All([premium, delta, gamma, vega, theta], v => Assert.True(double.IsFinite(v), $"{v:R} is not finite"));
        Assert.InRange(premium, lower - slack, upper + slack);
        if (o.Kind == OptionKind.Call) Assert.InRange(delta, 0, 1);
        else Assert.InRange(delta, -1, 0);
        Assert.True(gamma >= 0 && vega >= 0, $"gamma {gamma:R}, vega {vega:R}");
    }

    [Property(Replay = "(5103, 2719)", MaxTest = Cases, Arbitrary = [typeof(RiskArbitraries)])]
    public void Premium_should_not_fall_as_volatility_rises(OptionCase o)
    {
        var higher = Math.Min(o.Volatility * 1.01 + 1e-9, BlackScholes.MaxVolatility);
        var at = BlackScholes.Premium(o.Kind, o.Spot, o.Strike, o.Years, o.Rate, o.Volatility);
        var above = BlackScholes.Premium(o.Kind, o.Spot, o.Strike, o.Years, o.Rate, higher);

        Assert.True(above >= at - 4e-16 * Math.Max(o.Spot, o.Strike * Math.Exp(-o.Rate * o.Years)), $"{above:R} at σ = {higher:R} < {at:R}");
    }

    [Property(Replay = "(5104, 2719)", MaxTest = 500, Arbitrary = [typeof(RiskArbitraries)])]
    public void Delta_should_be_the_derivative_of_the_premium_in_spot(SmoothOptionCase c)
    {
        var o = c.Option;
        var analytic = BlackScholes.Delta(o.Kind, o.Spot, o.Strike, o.Years, o.Rate, o.Volatility);
        var numeric = Derivative(s => BlackScholes.Premium(o.Kind, s, o.Strike, o.Years, o.Rate, o.Volatility), o.Spot);

        AssertClose(analytic, numeric, scale: 1, "delta");
    }

    [Property(Replay = "(5105, 2719)", MaxTest = 500, Arbitrary = [typeof(RiskArbitraries)])]
    public void Gamma_should_be_the_derivative_of_delta_in_spot(SmoothOptionCase c)
    {
        var o = c.Option;
        var analytic = BlackScholes.Gamma(o.Spot, o.Strike, o.Years, o.Rate, o.Volatility);
        var numeric = Derivative(s => BlackScholes.Delta(o.Kind, s, o.Strike, o.Years, o.Rate, o.Volatility), o.Spot);

        AssertClose(analytic, numeric, scale: 0.4 / (o.Spot * o.StdDev), "gamma");
    }

    [Property(Replay = "(5106, 2719)", MaxTest = 500, Arbitrary = [typeof(RiskArbitraries)])]
    public void Vega_should_be_the_derivative_of_the_premium_in_volatility(SmoothOptionCase c)
    {
        var o = c.Option;
        var analytic = BlackScholes.Vega(o.Spot, o.Strike, o.Years, o.Rate, o.Volatility);
        var numeric = Derivative(v => BlackScholes.Premium(o.Kind, o.Spot, o.Strike, o.Years, o.Rate, v), o.Volatility);

        AssertClose(analytic, numeric, scale: 0.4 * o.Spot * Math.Sqrt(o.Years), "vega");
    }

    [Property(Replay = "(5107, 2719)", MaxTest = 500, Arbitrary = [typeof(RiskArbitraries)])]
    public void Theta_should_be_minus_the_derivative_of_the_premium_in_years(SmoothOptionCase c)
    {
        var o = c.Option;
        var analytic = BlackScholes.Theta(o.Kind, o.Spot, o.Strike, o.Years, o.Rate, o.Volatility);
        var numeric = -Derivative(t => BlackScholes.Premium(o.Kind, o.Spot, o.Strike, t, o.Rate, o.Volatility), o.Years);

        AssertClose(analytic, numeric, scale: 0.4 * o.Spot * o.Volatility / Math.Sqrt(o.Years) + Math.Abs(o.Rate) * o.Strike, "theta");
    }

    /// <summary>
    /// f′(x) by a central difference with step h = 10^−3·x, improved by Richardson extrapolation:
    /// (4·D(h/2) − D(h))/3 cancels the h² error term, leaving O(h⁴) plus rounding of about ε/h.
    /// </summary>
    private static double Derivative(Func<double, double> f, double x)
    {
        double Central(double h) => (f(x + h) - f(x - h)) / (2 * h);
        var step = 1e-3 * x;
        return (4 * Central(step / 2) - Central(step)) / 3;
    }

    /// <summary>Agreement to 10^−7 of the greek's natural size (its at-the-money magnitude), so deep out-of-the-money greeks near zero still count.</summary>
    private static void AssertClose(double analytic, double numeric, double scale, string greek) =>
        Assert.True(Math.Abs(analytic - numeric) <= 1e-7 * (Math.Abs(analytic) + scale),
            $"{greek} = {analytic:R}, finite difference {numeric:R}, difference {Math.Abs(analytic - numeric):E2} against scale {scale:E2}");
}
