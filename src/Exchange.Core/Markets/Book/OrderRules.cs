using Exchange.Core.Ledger;
using Exchange.Core.Numerics;

namespace Exchange.Core.Markets.Book;

/// <summary>The checks both books apply in the same order before touching their data structures.</summary>
internal static class OrderRules
{
    /// <summary>What can be judged from the command and the instrument alone.</summary>
    public static BookResult CheckCommand(InstrumentSpec spec, in PlaceCommand c)
    {
        if (c.OrderId == 0) return BookResult.InvalidOrderId;
        if (c.Side is not (Side.Buy or Side.Sell) || c.Type is not (OrderType.Limit or OrderType.Market) ||
            c.TimeInForce is < TimeInForce.GoodTilCancelled or > TimeInForce.FillOrKill ||
            c.SelfTradePrevention is < SelfTradePrevention.CancelResting or > SelfTradePrevention.DecrementBoth ||
            (c.Flags & ~(OrderFlags.PostOnly | OrderFlags.ReduceOnly)) != 0)
            return BookResult.InvalidOrderCombination;
        if (!c.Quantity.IsPositive || !c.Quantity.IsMultipleOf(spec.LotSize)) return BookResult.InvalidQuantity;
        if (c.Quantity < spec.MinSize) return BookResult.BelowMinimumSize;
        if (c.Type == OrderType.Market)
            return c.Price != Price.Zero || c.TimeInForce == TimeInForce.GoodTilCancelled || c.PostOnly
                ? BookResult.InvalidOrderCombination
                : BookResult.Ok;
        if (!c.Price.IsPositive || !c.Price.IsMultipleOf(spec.TickSize)) return BookResult.InvalidPrice;
        return c.PostOnly && c.TimeInForce != TimeInForce.GoodTilCancelled ? BookResult.InvalidOrderCombination : BookResult.Ok;
    }

    public static BookResult CheckAmend(InstrumentSpec spec, Price price, Quantity quantity)
    {
        if (!price.IsPositive || !price.IsMultipleOf(spec.TickSize)) return BookResult.InvalidPrice;
        return quantity.IsPositive && quantity.IsMultipleOf(spec.LotSize) ? BookResult.Ok : BookResult.InvalidQuantity;
    }

    /// <summary>
    /// The size a reduce-only order may have: at most the open position on the other side, in whole
    /// lots (rounded down, so it can never flip the position). Zero means it could only increase it.
    /// </summary>
    public static Quantity ReduceOnlyQuantity(InstrumentSpec spec, in PlaceCommand c)
    {
        var position = c.Position.Raw;
        if (c.Side == Side.Buy ? position >= 0 : position <= 0) return Quantity.Zero;
        var reducible = position == long.MinValue ? long.MaxValue : Math.Abs(position);
        var lots = reducible - reducible % spec.LotSize.Raw;
        return Quantity.Min(c.Quantity, new Quantity(lots));
    }

    /// <summary>True when an order on <paramref name="side"/> with this limit would trade against <paramref name="opposite"/>.</summary>
    public static bool Crosses(Side side, Price limit, Price opposite) => side == Side.Buy ? limit >= opposite : limit <= opposite;

    public static bool CanRest(in PlaceCommand c) => c.Type == OrderType.Limit && c.TimeInForce == TimeInForce.GoodTilCancelled;
}
