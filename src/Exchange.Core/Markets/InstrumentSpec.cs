using Exchange.Core.Ledger;
using Exchange.Core.Numerics;

namespace Exchange.Core.Markets;

/// <summary>
/// Trading parameters of one instrument. Prices are whole ticks, sizes whole lots of at least
/// <see cref="MinSize"/>. A market order trades no further than <see cref="PriceBandBps"/> basis
/// points from the best opposite price it meets on arrival.
/// </summary>
public sealed record InstrumentSpec(Price TickSize, Quantity LotSize, Quantity MinSize, int PriceBandBps, int MaxOpenOrdersPerAccount)
{
    public const int MaxPriceBandBps = 10_000;

    public static InstrumentSpec Create(Price tick, Quantity lot, Quantity minSize, int priceBandBps = 2_000, int maxOpenOrdersPerAccount = 200)
    {
        var spec = new InstrumentSpec(tick, lot, minSize, priceBandBps, maxOpenOrdersPerAccount);
        var error = spec.Check();
        return error is null ? spec : throw new ArgumentException(error);
    }

    /// <summary>Null when the parameters are usable, else why not.</summary>
    public string? Check()
    {
        if (!TickSize.IsPositive) return "tick size must be positive";
        if (!LotSize.IsPositive) return "lot size must be positive";
        if (!MinSize.IsPositive || !MinSize.IsMultipleOf(LotSize)) return "minimum size must be a positive whole number of lots";
        if (PriceBandBps is <= 0 or > MaxPriceBandBps) return $"price band must be 1 to {MaxPriceBandBps} basis points";
        if (MaxOpenOrdersPerAccount <= 0) return "the open-order limit must be positive";
        return null;
    }

    /// <summary>The furthest price a market order may reach from the best opposite price, on the tick grid and never past zero.</summary>
    public Price BandLimit(Side side, Price bestOpposite) => side == Side.Buy
        ? (bestOpposite + bestOpposite.MulDivFloor(PriceBandBps, 10_000)).FloorToTick(TickSize)
        : Price.Max(TickSize, (bestOpposite - bestOpposite.MulDivFloor(PriceBandBps, 10_000)).CeilToTick(TickSize));
}

/// <summary>A listed instrument: the option series and how it trades.</summary>
public sealed record Instrument(OptionSeries Series, InstrumentSpec Spec)
{
    public string Name => Series.Name;
    public override string ToString() => Name;
}
