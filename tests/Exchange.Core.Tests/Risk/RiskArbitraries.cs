using Exchange.Core.Ledger;
using FsCheck;
using FsCheck.Fluent;

namespace Exchange.Core.Tests.Risk;

/// <summary>Black–Scholes inputs: spot and strike in USD, years, rate and volatility per year.</summary>
public sealed record OptionCase(OptionKind Kind, double Spot, double Strike, double Years, double Rate, double Volatility)
{
    public double StdDev => Volatility * Math.Sqrt(Years);

    public override string ToString() =>
        $"{Kind} S={Spot:R} K={Strike:R} T={Years:R} r={Rate:R} σ={Volatility:R}";
}

/// <summary>An option whose greeks a finite difference can check: σ√T ≥ 0.05, σ ≤ 5, T ≥ 1 day and the strike within four standard deviations of the forward.</summary>
public sealed record SmoothOptionCase(OptionCase Option)
{
    public override string ToString() => Option.ToString();
}

/// <summary>
/// Generators spread over the scales the exchange sees (a cent to a million USD, an hour to three
/// years, 1% to 500% volatility, rates from −5% to 20%) and, less often, over the model's whole
/// domain. Doubles are drawn from integers so a replayed seed gives the same inputs.
/// </summary>
public static class RiskArbitraries
{
    /// <summary>Uniform on [lo, hi] with 2^30 steps.</summary>
    public static Gen<double> Uniform(double lo, double hi) =>
        Gen.Choose(0, 1 << 30).Select(i => lo + (hi - lo) * (i / (double)(1 << 30)));

    /// <summary>10^u with u uniform on [lo, hi].</summary>
    public static Gen<double> LogUniform(double lo, double hi) => Uniform(lo, hi).Select(u => Math.Pow(10, u));

    private static readonly Gen<OptionKind> Kind = Gen.Elements(OptionKind.Call, OptionKind.Put);

    /// <summary>Mostly within five standard deviations of the forward, where premiums carry time value; sometimes anywhere within e^±4 of spot.</summary>
    private static readonly Gen<OptionCase> Typical =
        from kind in Kind
        from spot in LogUniform(-2, 6)
        from years in LogUniform(-4, 0.5)
        from rate in Uniform(-0.05, 0.2)
        from volatility in LogUniform(-2, 0.7)
        let stdDev = volatility * Math.Sqrt(years)
        from logMoneyness in Gen.Frequency((4, Uniform(-5, 5).Select(d => rate * years + d * stdDev)), (1, Uniform(-4, 4)))
        select new OptionCase(kind, spot, Math.Clamp(spot * Math.Exp(logMoneyness), 1e-12, 1e15), years, rate, volatility);

    private static readonly Gen<OptionCase> WholeDomain =
        from kind in Kind
        from spot in LogUniform(-12, 15)
        from strike in LogUniform(-12, 15)
        from years in Gen.Frequency((4, LogUniform(-12, 2)), (1, Gen.Elements(0.0, 1e-300, 100.0)))
        from rate in Gen.Frequency((4, Uniform(-1, 1)), (1, Gen.Elements(-1.0, 0.0, 1.0)))
        from volatility in Gen.Frequency((4, LogUniform(-6, 1)), (1, Gen.Elements(0.0, 1e-300, 10.0)))
        select new OptionCase(kind, Math.Min(spot, 1e15), Math.Min(strike, 1e15), Math.Min(years, 100), rate, Math.Min(volatility, 10));

    public static Arbitrary<OptionCase> OptionCases() => Arb.From(Gen.Frequency((4, Typical), (1, WholeDomain)));

    public static Arbitrary<SmoothOptionCase> SmoothOptionCases() => Arb.From(
        from kind in Kind
        from spot in LogUniform(-2, 6)
        from years in LogUniform(-2.5, 0.5)
        from rate in Uniform(-0.05, 0.2)
        from wantedStdDev in LogUniform(-1.3, 0.3)
        let volatility = Math.Min(wantedStdDev / Math.Sqrt(years), 5)
        let stdDev = volatility * Math.Sqrt(years)
        from deviations in Uniform(-4, 4)
        let strike = spot * Math.Exp(rate * years + deviations * stdDev)
        select new SmoothOptionCase(new OptionCase(kind, spot, strike, years, rate, volatility)));
}
