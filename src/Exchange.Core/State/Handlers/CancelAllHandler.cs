using Exchange.Core.Ledger.Payloads;

namespace Exchange.Core.State.Handlers;

/// <summary>Cancels every resting order of the trading account, in one instrument or in all.</summary>
public static class CancelAllHandler
{
    public static Outcome Handle(TxContext c, CancelAll p)
    {
        var instrument = p.Instrument.Length == 0 ? null : p.Instrument;
        return OrderRisk.FromBook(c.State.RunBook(c, (engine, events) => engine.CancelAll(c.Trader.Id, instrument, events)));
    }
}
