using Exchange.Core.Numerics;
using Exchange.Core.State;

namespace Exchange.Core.Risk;

/// <summary>
/// The mark price of an option: the book's mid when it has both sides, held inside a band of
/// Black-Scholes prices at the oracle's implied volatility scaled down and up by the mark band; the
/// Black-Scholes price itself when the book is one-sided or empty. Marks are computed once per
/// block from block time, so every transaction in a block sees the same marks. Prices round down.
/// </summary>
public static class Marks
{
    /// <summary>A 365-day year, in milliseconds of block time.</summary>
    public const double MillisecondsPerYear = 365.0 * 86_400_000;

    public static long Compute(ExchangeState state, ListedInstrument listed)
    {
        if (!state.Engine.TryGetBook(listed.Name, out var book)) return Theoretical(state, listed);
        var top = book.Top;
        if (!top.HasBid || !top.HasAsk) return Theoretical(state, listed);
        // The band is priced only when there is a mid to hold inside it.
        var band = state.Genesis.Risk.MarkBandBps / 10_000.0;
        var lower = Theoretical(state, listed, 1.0 - band);
        var upper = Theoretical(state, listed, 1.0 + band);
        var mid = FixedPoint.DivFloor(checked(top.BidPrice.Raw + top.AskPrice.Raw), 2);
        return Math.Clamp(mid, lower, upper);
    }

    /// <summary>Black-Scholes premium at the oracle's volatility times <paramref name="volMultiplier"/>, micro-USD rounded down.</summary>
    public static long Theoretical(ExchangeState state, ListedInstrument listed, double volMultiplier = 1.0)
    {
        var series = listed.Instrument.Series;
        var (index, volMicros, _) = state.Index(series.Underlying);
        return Premium(state, listed, index, volMicros / 1e6 * volMultiplier);
    }

    /// <summary>Black-Scholes premium of the series at a given index and volatility, at the current block time.</summary>
    public static long Premium(ExchangeState state, ListedInstrument listed, Price index, double volatility)
    {
        var series = listed.Instrument.Series;
        var years = Math.Max(0, listed.ExpiryUnixMs - state.TimeUnixMs) / MillisecondsPerYear;
        var rate = state.Genesis.Risk.RiskFreeRateMicros / 1e6;
        return BlackScholes.PremiumFloor(series.Kind, index, series.Strike, years, rate, Math.Max(0, volatility)).Raw;
    }
}
