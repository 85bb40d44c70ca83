using Exchange.Core.Ledger.Payloads;

namespace Exchange.Core.State.Handlers;

/// <summary>Cancels one of the trading account's resting orders.</summary>
public static class CancelOrderHandler
{
    public static Outcome Handle(TxContext c, CancelOrder p) =>
        OrderRisk.FromBook(c.State.RunBook(c, (engine, events) => engine.Cancel(p.OrderId, c.Trader.Id, events)));
}
