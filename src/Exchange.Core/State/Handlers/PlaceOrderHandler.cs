using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Markets;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;

namespace Exchange.Core.State.Handlers;

/// <summary>Places an order for the trading account (the agent's principal or the signer), after the margin check.</summary>
public static class PlaceOrderHandler
{
    public static Outcome Handle(TxContext c, PlaceOrder p)
    {
        var state = c.State;
        if (!state.TryGetInstrument(p.Instrument, out var listed)) return Outcome.Fail(StateError.UnknownInstrument, $"{p.Instrument} is not listed");
        if (listed.Settled || listed.ExpiryUnixMs <= state.TimeUnixMs) return Outcome.Fail(StateError.InstrumentExpired, $"{p.Instrument} has expired");
        if (!state.Engine.TryGetBook(p.Instrument, out var book)) return Outcome.Fail(StateError.UnknownInstrument, $"{p.Instrument} has no book");

        var trader = c.Trader;
        var reduceOnly = (p.Flags & OrderFlags.ReduceOnly) != 0;
        // A market order's worst price is the band limit from the best opposite price; without one the book refuses it anyway.
        var limit = p.Price.Raw;
        if (p.Type == OrderType.Market)
        {
            var top = book.Top;
            var opposite = p.Side == Side.Buy ? (top.HasAsk, top.AskPrice) : (top.HasBid, top.BidPrice);
            limit = opposite.Item1 ? book.Spec.BandLimit(p.Side, opposite.Item2).Raw : 0;
        }
        var risk = OrderRisk.Check(c, listed, p.Side, reduceOnly, limit, p.Quantity.Raw);
        if (!risk.IsOk) return risk;

        trader.Holdings.TryGetValue(listed.Id, out var holding);
        var command = new PlaceCommand(OrderIds.For(state.Height, c.Index), trader.Id, p.Side, p.Type, p.TimeInForce, p.Flags,
            p.Price, p.Quantity, p.ClientOrderId, p.SelfTradePrevention, new Quantity(holding?.Position ?? 0));
        state.BeginPlace(listed.Id);
        return OrderRisk.FromBook(state.RunBook(c, (p.Instrument, command), static (engine, events, a) => engine.Place(a.Instrument, a.command, events)));
    }
}
