using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Markets.Book;

namespace Exchange.Core.State.Handlers;

/// <summary>Changes price and size of a resting order, after checking the margin the change would need.</summary>
public static class AmendOrderHandler
{
    public static Outcome Handle(TxContext c, AmendOrder p)
    {
        var state = c.State;
        if (state.OrderIndex.TryGetValue(p.OrderId, out var order) && order.Account == c.Trader.Id)
        {
            var listed = state.Instruments[order.Instrument];
            if (listed.Settled || listed.ExpiryUnixMs <= state.TimeUnixMs) return Outcome.Fail(StateError.InstrumentExpired, $"{listed.Name} has expired");
            var risk = OrderRisk.Check(c, listed, order.Side, order.ReduceOnly, p.NewPrice.Raw, p.NewQuantity.Raw, replacing: order);
            if (!risk.IsOk) return risk;
        }
        // Unknown orders and other accounts' orders are refused by the book with their own codes.
        return OrderRisk.FromBook(state.RunBook(c, (engine, events) => engine.Amend(p.OrderId, c.Trader.Id, p.NewPrice, p.NewQuantity, events)));
    }
}
