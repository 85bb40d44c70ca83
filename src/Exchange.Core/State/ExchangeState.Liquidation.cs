using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Markets;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;

namespace Exchange.Core.State;

public sealed partial class ExchangeState
{
    private int _blockActions;

    /// <summary>
    /// Liquidates the block's candidates (found by the node's margin engine, re-checked here): an
    /// account whose equity is below maintenance margin has its orders canceled, then its positions
    /// closed one at a time through the book with immediate-or-cancel orders no further than the
    /// liquidation band from the mark, until its equity covers maintenance again. A penalty on what was
    /// closed goes to the insurance fund. A balance left negative is covered by the insurance fund, then
    /// by auto-deleveraging. Accounts that are not liquidatable, or whose index prices are stale, are left alone.
    /// </summary>
    internal void Liquidate(IReadOnlyList<PublicKey> candidates, List<StateEvent> events)
    {
        var seen = new HashSet<uint>();
        foreach (var key in candidates)
        {
            if (!_accountByKey.TryGetValue(key, out var id) || !seen.Add(id)) continue;
            var account = _accounts[(int)id];
            if (account.PrincipalId is not null || !IsLiquidatable(account) || !PricesFresh(account)) continue;
            var context = new TxContext(this, account, -1, events);
            RunBook(context, (engine, ev) => engine.CancelAll(account.Id, null, ev));
            foreach (var instrument in account.Holdings.Keys.ToArray())
            {
                if (!IsLiquidatable(account)) break;
                CloseThroughBook(context, account, instrument);
            }
            CoverLoss(context, account);
        }
    }

    public bool IsLiquidatable(Account account) =>
        account.Holdings.Values.Any(h => h.Position != 0) && Equity(account) < MaintenanceMargin(account);

    private bool PricesFresh(Account account) =>
        account.Holdings.Keys.All(id => Index(_instruments[id].Instrument.Series.Underlying).Fresh);

    private void CloseThroughBook(TxContext context, Account account, int instrument)
    {
        if (!account.Holdings.TryGetValue(instrument, out var h) || h.Position == 0) return;
        var listed = _instruments[instrument];
        if (listed.Settled || !_engine.TryGetBook(listed.Name, out var book)) return;
        var spec = book.Spec;
        var side = h.Position > 0 ? Side.Sell : Side.Buy;
        var size = Math.Abs(h.Position) - Math.Abs(h.Position) % spec.LotSize.Raw;
        if (size < spec.MinSize.Raw) return;
        var band = Genesis.Risk.LiquidationBandBps;
        var mark = new Price(Math.Max(listed.Mark, spec.TickSize.Raw));
        var limit = side == Side.Buy
            ? (mark + mark.MulDivCeil(band, 10_000)).CeilToTick(spec.TickSize)
            : Price.Max(spec.TickSize, (mark - mark.MulDivCeil(band, 10_000)).FloorToTick(spec.TickSize));
        var command = new PlaceCommand(OrderIds.ForBlockAction(Height, _blockActions++), account.Id, side, OrderType.Limit,
            TimeInForce.ImmediateOrCancel, OrderFlags.ReduceOnly, limit, new Quantity(size), 0, SelfTradePrevention.CancelResting, new Quantity(h.Position));
        var before = h.Position;
        BeginPlace(instrument);
        RunBook(context, (engine, ev) => engine.Place(listed.Name, command, ev));
        var after = account.Holdings.TryGetValue(instrument, out var left) ? left.Position : 0;
        var closed = Math.Abs(before - after);
        if (closed == 0) return;
        var penalty = Math.Min(Math.Max(0, account.Balance),
            FixedPoint.MulDivCeil(Money.NotionalCeil(mark, new Quantity(closed)).Raw, Genesis.Risk.LiquidationPenaltyBps, 10_000));
        Debit(account, penalty);
        InsuranceFund = checked(InsuranceFund + penalty);
        context.Emit(new Liquidated(-1, account.Key, listed.Name, new Quantity(closed), new Money(penalty)));
    }

    /// <summary>
    /// Makes good a negative balance: first from the insurance fund; if that runs dry and positions remain,
    /// they are closed against the most profitable, most leveraged holders of the other side at the price
    /// that brings the account to zero (auto-deleveraging). What still remains is recorded as a socialized loss.
    /// </summary>
    private void CoverLoss(TxContext context, Account account)
    {
        if (account.Balance >= 0) return;
        var loss = -account.Balance;
        var fromInsurance = Math.Min(loss, InsuranceFund);
        InsuranceFund -= fromInsurance;
        Credit(account, fromInsurance);
        if (account.Balance < 0) AutoDeleverage(context, account);
        account.CoveredLosses = checked(account.CoveredLosses + loss);
        Touch(account);
        context.Emit(new LossCovered(-1, account.Key, new Money(loss), new Money(fromInsurance), new Money(Math.Max(0, -account.Balance))));
    }

    private void AutoDeleverage(TxContext context, Account bankrupt)
    {
        foreach (var instrument in bankrupt.Holdings.Keys.ToArray())
        {
            if (bankrupt.Balance >= 0) return;
            var h = bankrupt.Holdings[instrument];
            if (h.Position == 0) continue;
            var listed = _instruments[instrument];
            // Counterparties hold the other side; the most profitable and leveraged (unrealized value per unit of equity) go first.
            var ranked = _accounts
                .Where(a => a.Id != bankrupt.Id && a.Holdings.TryGetValue(instrument, out var o) && Math.Sign(o.Position) == -Math.Sign(h.Position))
                .Select(a => (Account: a, Score: (double)(Equity(a) - a.Balance) / Math.Max(1, Equity(a))))
                .OrderByDescending(x => x.Score).ThenBy(x => x.Account.Id)
                .ToList();
            foreach (var (counterparty, _) in ranked)
            {
                if (h.Position == 0 || bankrupt.Balance >= 0) break;
                var theirs = counterparty.Holdings[instrument];
                var size = Math.Min(Math.Abs(h.Position), Math.Abs(theirs.Position));
                // The bankrupt's long is sold for what covers its deficit, its short bought back for nothing: counterparties take the loss.
                var payment = h.Position > 0 ? Math.Min(-bankrupt.Balance, Math.Max(0, Equity(counterparty))) : 0;
                var (buyer, seller) = h.Position > 0 ? (counterparty, bankrupt) : (bankrupt, counterparty);
                Debit(buyer, payment);
                Credit(seller, payment);
                var sign = h.Position > 0 ? -1 : 1;
                h.Position += sign * size;
                theirs.Position -= sign * size;
                bankrupt.Prune(instrument);
                counterparty.Prune(instrument);
                Touch(counterparty);
                context.Emit(new AutoDeleveraged(-1, counterparty.Key, bankrupt.Key, listed.Name, new Quantity(size), new Money(payment)));
            }
        }
    }
}
