using Exchange.Core.Numerics;

namespace Exchange.Core.Oracle;

/// <summary>
/// One index reading inside a <see cref="PriceObservation"/>: the underlying's symbol ("BTC"), its index
/// price in micro-USD, and its implied volatility in millionths (550_000 = 55% a year).
/// </summary>
public readonly record struct IndexQuote(string Underlying, Price Price, long ImpliedVol)
{
    /// <summary>Implied volatility is carried in millionths: <c>VolScale</c> is 100%.</summary>
    public const long VolScale = 1_000_000;

    /// <summary>1000% a year; no index is quoted above it, so anything larger is a broken feed.</summary>
    public const long MaxImpliedVol = 10 * VolScale;
}
