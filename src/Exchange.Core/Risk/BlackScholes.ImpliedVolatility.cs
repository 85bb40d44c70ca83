using Exchange.Core.Ledger;
using static Exchange.Core.Numerics.DeterministicMath;

namespace Exchange.Core.Risk;

/// <summary>Why an implied-volatility search gave, or did not give, a volatility.</summary>
public enum ImpliedVolatilityStatus : byte
{
    /// <summary>A volatility in [0, <see cref="BlackScholes.MaxVolatility"/>] reprices the target.</summary>
    Solved = 0,

    /// <summary>The price is below the no-arbitrage floor max(S − K·e^{−rT}, 0) (call) or max(K·e^{−rT} − S, 0) (put).</summary>
    BelowLowerBound = 1,

    /// <summary>The price is at or above the no-arbitrage ceiling S (call) or K·e^{−rT} (put), which no finite volatility reaches.</summary>
    AtOrAboveUpperBound = 2,

    /// <summary>The price needs a volatility above <see cref="BlackScholes.MaxVolatility"/>.</summary>
    AboveMaxVolatility = 3,

    /// <summary>At expiry (T = 0) the premium is the payoff whatever the volatility.</summary>
    NoTimeValue = 4,

    /// <summary>The iteration budget ran out; <see cref="ImpliedVolatilityResult.Volatility"/> is the last estimate.</summary>
    NotConverged = 5,
}

/// <summary>The outcome of <see cref="BlackScholes.ImpliedVolatility"/>: a volatility only when <see cref="IsSolved"/>, otherwise 0 and the reason.</summary>
public readonly record struct ImpliedVolatilityResult(ImpliedVolatilityStatus Status, double Volatility, int Iterations)
{
    public bool IsSolved => Status == ImpliedVolatilityStatus.Solved;

    internal static ImpliedVolatilityResult Failed(ImpliedVolatilityStatus status) => new(status, 0.0, 0);
}

public static partial class BlackScholes
{
    /// <summary>Most premium evaluations one implied-volatility search may make.</summary>
    public const int MaxImpliedVolatilityIterations = 100;

    /// <summary>2^−52, the gap between 1 and the next double.</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// The volatility σ in [0, <see cref="MaxVolatility"/>] at which the Black–Scholes premium equals
    /// <paramref name="targetPrice"/> (USD per unit of the underlying). The premium rises with σ, so
    /// the root is kept in a bracket [lo, hi] that every evaluation narrows; each step is a Newton
    /// step σ − (premium − target)/vega when that lands inside the bracket and is at most half the
    /// step before last, and a bisection of the bracket otherwise (the safeguarded Newton method).
    /// The search starts at √(2·|ln(S/(K·e^{−rT}))|/T), where the premium's slope in σ is steepest
    /// (Manaster–Koehler), or at 0.5 when that is outside [0.01, 5], and stops when the premium is
    /// within about 4 ulps of max(S, K·e^{−rT}) of the target or the step falls below
    /// 1e−14·max(σ, 10^−3), after at most <see cref="MaxImpliedVolatilityIterations"/> evaluations. A target equal to the lower bound
    /// solves to σ = 0. Prices outside the no-arbitrage bounds, or above the premium at
    /// <see cref="MaxVolatility"/>, return a failure status, never NaN. Spot, strike, years and rate
    /// are checked as in <see cref="Premium"/>; a NaN or infinite target throws
    /// <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    public static ImpliedVolatilityResult ImpliedVolatility(
        OptionKind kind, double targetPrice, double spot, double strike, double years, double rate)
    {
        RequireInputs(spot, strike, years, rate);
        if (!double.IsFinite(targetPrice))
            throw new ArgumentOutOfRangeException(nameof(targetPrice), targetPrice, "the target price must be a finite number");
        if (kind is not (OptionKind.Call or OptionKind.Put)) throw UnknownKind(kind);
        if (years == 0) return ImpliedVolatilityResult.Failed(ImpliedVolatilityStatus.NoTimeValue);

        var discountedStrike = strike * Exp(-rate * years);
        var lowerBound = kind == OptionKind.Call ? Math.Max(spot - discountedStrike, 0.0) : Math.Max(discountedStrike - spot, 0.0);
        var upperBound = kind == OptionKind.Call ? spot : discountedStrike;
        if (targetPrice < lowerBound) return ImpliedVolatilityResult.Failed(ImpliedVolatilityStatus.BelowLowerBound);
        if (targetPrice >= upperBound) return ImpliedVolatilityResult.Failed(ImpliedVolatilityStatus.AtOrAboveUpperBound);
        if (targetPrice == lowerBound) return new ImpliedVolatilityResult(ImpliedVolatilityStatus.Solved, 0.0, 0);

        var priceTolerance = 4 * MachineEpsilon * Math.Max(spot, discountedStrike);
        var atMax = new Model(spot, strike, years, rate, MaxVolatility).Premium(kind) - targetPrice;
        if (atMax < -priceTolerance) return ImpliedVolatilityResult.Failed(ImpliedVolatilityStatus.AboveMaxVolatility);

        var lo = 0.0;
        var hi = MaxVolatility;
        var moneyness = Ln(spot / strike) + rate * years;
        var sigma = Sqrt(2.0 * Math.Abs(moneyness) / years);
        if (!(sigma >= 0.01 && sigma <= 0.5 * MaxVolatility)) sigma = 0.5;
        var lastStep = hi - lo;
        var stepBeforeLast = lastStep;

        for (var iteration = 1; iteration <= MaxImpliedVolatilityIterations; iteration++)
        {
            var model = new Model(spot, strike, years, rate, sigma);
            var error = model.Premium(kind) - targetPrice;
            if (Math.Abs(error) <= priceTolerance) return new ImpliedVolatilityResult(ImpliedVolatilityStatus.Solved, sigma, iteration);
            if (error < 0) lo = sigma;
            else hi = sigma;

            var vega = model.Vega();
            var newton = vega > 0 ? sigma - error / vega : double.NaN;
            double step;
            if (newton > lo && newton < hi && Math.Abs(2 * error) <= Math.Abs(stepBeforeLast * vega))
            {
                step = sigma - newton;
                sigma = newton;
            }
            else
            {
                step = 0.5 * (hi - lo);
                sigma = lo + step;
            }
            if (Math.Abs(step) <= 1e-14 * Math.Max(sigma, 1e-3))
                return new ImpliedVolatilityResult(ImpliedVolatilityStatus.Solved, sigma, iteration);
            stepBeforeLast = lastStep;
            lastStep = step;
        }
        return new ImpliedVolatilityResult(ImpliedVolatilityStatus.NotConverged, sigma, MaxImpliedVolatilityIterations);
    }
}
