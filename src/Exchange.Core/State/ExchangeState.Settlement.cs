using Exchange.Core.Ledger;
using Exchange.Core.Numerics;

namespace Exchange.Core.State;

public sealed partial class ExchangeState
{
    /// <summary>
    /// Settles every series whose expiry has passed, once the oracle can give its settlement price
    /// (the time-weighted average index over the last 30 minutes of block time before expiry; never
    /// stale data). Resting orders are canceled, in-the-money payoffs move from shorts to longs, positions
    /// close, and the series is delisted. Longs are paid rounded down and shorts charged rounded up; the
    /// difference goes to the insurance fund, so no micro-USDC is created. A short that cannot pay is
    /// covered like a liquidation loss.
    /// </summary>
    private void SettleExpired(List<StateEvent> events)
    {
        foreach (var listed in _instruments)
        {
            if (listed.Settled || listed.ExpiryUnixMs > TimeUnixMs) continue;
            var series = listed.Instrument.Series;
            if (!TrySettlementPrice(series.Underlying, listed.ExpiryUnixMs, out var settlement)) continue;

            var context = new TxContext(this, _accounts[0], -1, events);
            RunBook(context, (engine, ev) => engine.Delist(listed.Name, ev));
            var payoff = series.Kind == OptionKind.Call
                ? Math.Max(0, settlement.Raw - series.Strike.Raw)
                : Math.Max(0, series.Strike.Raw - settlement.Raw);
            var positions = 0;
            long paidToLongs = 0, takenFromShorts = 0;
            var shortfalls = new List<Account>();
            foreach (var account in _accounts)
            {
                if (!account.Holdings.TryGetValue(listed.Id, out var h) || h.Position == 0) continue;
                positions++;
                if (h.Position > 0)
                {
                    var due = FixedPoint.MulDivFloor(payoff, h.Position, Quantity.Scale);
                    Credit(account, due);
                    paidToLongs = checked(paidToLongs + due);
                }
                else
                {
                    var owed = FixedPoint.MulDivCeil(payoff, -h.Position, Quantity.Scale);
                    Debit(account, owed);
                    takenFromShorts = checked(takenFromShorts + owed);
                    if (account.Balance < 0) shortfalls.Add(account);
                }
                h.Position = 0;
                account.Prune(listed.Id);
                Touch(account);
            }
            // Open interest is equal on both sides, so shorts' rounded-up total is at least longs' rounded-down total; the fund keeps the gap.
            InsuranceFund = checked(InsuranceFund + takenFromShorts - paidToLongs);
            listed.Settled = true;
            listed.Mark = payoff;
            events.Add(new Settled(-1, listed.Name, settlement, positions));
            foreach (var account in shortfalls) CoverLoss(new TxContext(this, account, -1, events), account);
        }
    }
}
