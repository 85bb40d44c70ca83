using Exchange.Core.Ledger;
using Exchange.Core.Markets;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;

namespace Exchange.Core.State;

public sealed partial class ExchangeState
{
    /// <summary>
    /// Runs one command against the matching engine and carries its consequences into the state:
    /// trades move premium from buyer to seller and positions with them, fees go to the insurance
    /// fund and fee pool, and every order the command touched is re-read from its book so reservations
    /// and hashes follow. Returns the rejection code when the book refused the command (then nothing changed).
    /// </summary>
    internal BookResult RunBook(TxContext context, Action<MatchingEngine, BookEvents> command) =>
        RunBook(context, command, static (engine, events, command) => command(engine, events));

    /// <summary>
    /// <see cref="RunBook(TxContext, Action{MatchingEngine, BookEvents})"/> with the command's arguments passed along,
    /// so the handlers that run for every order use a static lambda instead of a closure and a delegate each time.
    /// </summary>
    internal BookResult RunBook<TArgs>(TxContext context, TArgs args, Action<MatchingEngine, BookEvents, TArgs> command)
    {
        _bookEvents.Clear();
        command(_engine, _bookEvents, args);
        var events = _bookEvents.Span;
        if (events.Length == 1 && events[0].Type == BookEventType.Rejected)
        {
            _pendingInstrument = -1;
            return events[0].Code;
        }

        Span<ulong> touched = events.Length <= 64 ? stackalloc ulong[events.Length * 2] : new ulong[events.Length * 2];
        var count = 0;
        ulong requeued = 0;
        foreach (ref readonly var e in events)
        {
            var instrument = InstrumentOfEvent(e);
            touched[count++] = e.OrderId;
            if (e.Type == BookEventType.Amended && e.Code == BookResult.AmendLostPriority) requeued = e.OrderId;
            if (e.Type == BookEventType.Filled)
            {
                touched[count++] = e.MakerOrderId;
                Settle(context, instrument, e);
            }
            else
            {
                context.Emit(new OrderEvent(context.Index, _instruments[instrument].Name, e));
            }
        }
        for (var i = 0; i < count; i++)
        {
            var id = touched[i];
            if (touched[..i].Contains(id)) continue;
            SyncOrder(id, requeued: id == requeued);
        }
        _pendingInstrument = -1;
        return BookResult.Ok;
    }

    /// <summary>The instrument a book event belongs to: the order's, known before the command or after it.</summary>
    private int InstrumentOfEvent(in BookEvent e)
    {
        if (_orders.TryGetValue(e.OrderId, out var known)) return known.Instrument;
        if (e.Type == BookEventType.Filled && _orders.TryGetValue(e.MakerOrderId, out var maker)) return maker.Instrument;
        return _pendingInstrument;
    }

    /// <summary>The instrument of the order being placed by the current command (it has no OrderInfo yet).</summary>
    private int _pendingInstrument = -1;

    internal void BeginPlace(int instrument) => _pendingInstrument = instrument;

    /// <summary>The next queue stamp (see <see cref="OrderInfo.QueueStamp"/>).</summary>
    private long _nextQueueStamp = 1;

    public long NextQueueStamp => _nextQueueStamp;

    /// <summary>The account's resting orders by id, for its hash leaf.</summary>
    internal SortedSet<ulong>? OrderIdsOf(uint account) => _ordersByAccount.GetValueOrDefault(account);

    private void Settle(TxContext context, int instrument, in BookEvent fill)
    {
        var taker = _accounts[(int)fill.Account];
        var maker = _accounts[(int)fill.MakerAccount];
        var (buyer, seller) = fill.Side == Side.Buy ? (taker, maker) : (maker, taker);
        // One notional, rounded down once, leaves one account and reaches the other: nothing is created or lost.
        var premium = Money.NotionalFloor(fill.Price, fill.Quantity).Raw;
        Debit(buyer, premium);
        Credit(seller, premium);
        var buyerHolding = buyer.HoldingOf(instrument);
        buyerHolding.Position = checked(buyerHolding.Position + fill.Quantity.Raw);
        var sellerHolding = seller.HoldingOf(instrument);
        sellerHolding.Position = checked(sellerHolding.Position - fill.Quantity.Raw);

        var listed = _instruments[instrument];
        var index = Index(listed.Instrument.Series.Underlying).Price;
        var takerFee = Genesis.Fees.FeeFor(maker: false, index, fill.Price, fill.Quantity);
        var makerFee = Genesis.Fees.FeeFor(maker: true, index, fill.Price, fill.Quantity);
        ChargeFee(taker, takerFee.Raw);
        ChargeFee(maker, makerFee.Raw);
        buyer.Prune(instrument);
        seller.Prune(instrument);
        context.Emit(new Traded(context.Index, listed.Name, fill.OrderId, taker.Key, fill.MakerOrderId, maker.Key,
            fill.Side, fill.Price, fill.Quantity, takerFee, makerFee));
    }

    /// <summary>Re-reads one order from its book and moves its reservation and index entries to match.</summary>
    private void SyncOrder(ulong orderId, bool requeued)
    {
        var had = _orders.TryGetValue(orderId, out var before);
        var instrument = had ? before!.Instrument : _pendingInstrument;
        if (instrument < 0) return;
        OrderInfo? after = null;
        if (_engine.TryGetBook(_instruments[instrument].Name, out var book) && book.TryGetOrder(orderId, out var r))
            after = new OrderInfo(r.OrderId, instrument, r.Account, r.Side, r.Price.Raw, r.Quantity.Raw, r.ClientOrderId, r.Flags, r.SelfTradePrevention, r.Sequence,
                before is null || requeued ? _nextQueueStamp++ : before.QueueStamp);
        if (before == after) return;
        _hasher.TouchOrder(orderId, after);
        if (before is not null) Reserve(before, -1);
        if (after is not null)
        {
            Reserve(after, +1);
            _orders[orderId] = after;
            // An order that was resting is indexed under its account already (orders never change account).
            if (before is null)
            {
                if (!_ordersByAccount.TryGetValue(after.Account, out var ids)) _ordersByAccount[after.Account] = ids = [];
                ids.Add(orderId);
            }
        }
        else
        {
            _orders.Remove(orderId);
            if (_ordersByAccount.TryGetValue(before!.Account, out var ids) && ids.Remove(orderId) && ids.Count == 0)
                _ordersByAccount.Remove(before.Account);
        }
    }

    /// <summary>Adds (+1) or removes (−1) what a resting order holds back on its account.</summary>
    private void Reserve(OrderInfo order, int sign)
    {
        var account = _accounts[(int)order.Account];
        var h = account.HoldingOf(order.Instrument);
        if (order.Side == Side.Buy)
        {
            h.OpenBuyQuantity = checked(h.OpenBuyQuantity + sign * order.Remaining);
            h.OpenBuyPremium = checked(h.OpenBuyPremium + sign * Money.NotionalCeil(new Price(order.Price), new Quantity(order.Remaining)).Raw);
        }
        else if (!order.ReduceOnly)
        {
            h.OpenSellQuantity = checked(h.OpenSellQuantity + sign * order.Remaining);
        }
        account.Prune(order.Instrument);
        _hasher.Touch(account.Id);
    }
}
