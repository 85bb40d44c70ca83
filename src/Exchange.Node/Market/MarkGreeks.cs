using Exchange.Core.Numerics;
using Exchange.Core.Risk;

namespace Exchange.Node.Market;

/// <summary>
/// Greeks of an option at its mark, with Core's Black–Scholes: the implied volatility that reprices the mark, and
/// delta, gamma, vega and theta at it (at the oracle's volatility when no volatility reprices the mark). Time to
/// expiry is counted from the block time in a 365-day year, as marks are.
/// </summary>
public static class MarkGreeks
{
    /// <summary>Null when the model has no answer: no positive index or strike.</summary>
    public static OptionGreeks? Compute(InstrumentView instrument, IndexView index, long blockTimeMs, long riskFreeRateMicros)
    {
        var series = instrument.Instrument.Series;
        if (!index.Price.IsPositive || !series.Strike.IsPositive) return null;
        var spot = index.Price.Raw / (double)Price.Scale;
        var strike = series.Strike.Raw / (double)Price.Scale;
        var years = Math.Min(BlackScholes.MaxYears, Math.Max(0, instrument.ExpiryUnixMs - blockTimeMs) / Marks.MillisecondsPerYear);
        var rate = Math.Clamp(riskFreeRateMicros / 1e6, -BlackScholes.MaxAbsRate, BlackScholes.MaxAbsRate);
        var mark = instrument.Mark.Raw / (double)Price.Scale;

        var solved = BlackScholes.ImpliedVolatility(series.Kind, mark, spot, strike, years, rate);
        // A mark at intrinsic value solves to zero volatility, where every greek but delta vanishes: use the oracle's instead.
        double? markIv = solved.IsSolved && solved.Volatility > 0 ? solved.Volatility : null;
        var vol = markIv ?? Math.Clamp(index.ImpliedVolMicros / 1e6, 0, BlackScholes.MaxVolatility);
        return new OptionGreeks(
            BlackScholes.Delta(series.Kind, spot, strike, years, rate, vol),
            BlackScholes.Gamma(spot, strike, years, rate, vol),
            BlackScholes.Vega(spot, strike, years, rate, vol) / 100,          // per volatility point
            BlackScholes.Theta(series.Kind, spot, strike, years, rate, vol) / 365,   // per calendar day
            markIv);
    }
}
