using Exchange.Core.Ledger.Payloads;

namespace Exchange.Core.State.Handlers;

/// <summary>Cancels one of the trading account's resting orders.</summary>
public static class CancelOrderHandler
{
    public static Outcome Handle(TxContext c, CancelOrder p) =>
        OrderRisk.FromBook(c.State.RunBook(c, (p.OrderId, c.Trader.Id), static (engine, events, a) => engine.Cancel(a.OrderId, a.Id, events)));
}
