using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Numerics;

namespace Exchange.Core.Markets.Book;

/// <summary>
/// The plain order book: sorted dictionaries of linked lists, written to be obviously right rather
/// than fast. It defines the behaviour the fast book must reproduce event for event.
/// </summary>
public sealed class ReferenceOrderBook(InstrumentSpec spec) : IOrderBook
{
    private sealed class Order
    {
        public required ulong Id;
        public required uint Account;
        public required Side Side;
        public required Price Price;
        public required Quantity Quantity;
        public required ulong ClientOrderId;
        public required OrderFlags Flags;
        public required SelfTradePrevention Stp;
        public required long Sequence;

        public RestingOrder View => new(Id, Account, Side, Price, Quantity, ClientOrderId, Flags, Stp, Sequence);
    }

    // Bids keyed by negated price so that both sides iterate best first.
    private readonly SortedDictionary<long, LinkedList<Order>> _bids = new();
    private readonly SortedDictionary<long, LinkedList<Order>> _asks = new();
    private readonly Dictionary<ulong, Order> _byId = new();
    private readonly Dictionary<(uint Account, ulong ClientOrderId), ulong> _clientIds = new();
    private long _nextSequence = 1;

    public InstrumentSpec Spec { get; } = spec;
    public int Count => _byId.Count;

    private SortedDictionary<long, LinkedList<Order>> SideOf(Side side) => side == Side.Buy ? _bids : _asks;
    private static long Key(Side side, Price price) => side == Side.Buy ? -price.Raw : price.Raw;
    private static Side Opposite(Side side) => side == Side.Buy ? Side.Sell : Side.Buy;

    private Order? Best(Side side)
    {
        foreach (var level in SideOf(side).Values) return level.First!.Value;
        return null;
    }

    public void Place(in PlaceCommand c, BookEvents events)
    {
        var check = OrderRules.CheckCommand(Spec, c);
        if (check == BookResult.Ok && _byId.ContainsKey(c.OrderId)) check = BookResult.DuplicateOrderId;
        if (check == BookResult.Ok && c.ClientOrderId != 0 && _clientIds.ContainsKey((c.Account, c.ClientOrderId))) check = BookResult.DuplicateClientOrderId;
        var quantity = c.Quantity;
        if (check == BookResult.Ok && c.ReduceOnly)
        {
            quantity = OrderRules.ReduceOnlyQuantity(Spec, c);
            if (!quantity.IsPositive) check = BookResult.ReduceOnlyWouldIncrease;
        }
        if (check == BookResult.Ok && OrderRules.CanRest(c) && OpenOrders(c.Account) >= Spec.MaxOpenOrdersPerAccount) check = BookResult.TooManyOpenOrders;
        var opposite = Best(Opposite(c.Side));
        var limit = c.Price;
        if (check == BookResult.Ok && c.Type == OrderType.Market)
        {
            if (opposite is null) check = BookResult.NoLiquidity;
            else limit = Spec.BandLimit(c.Side, opposite.Price);
        }
        if (check == BookResult.Ok && c.PostOnly && opposite is not null && OrderRules.Crosses(c.Side, limit, opposite.Price)) check = BookResult.PostOnlyWouldTake;
        if (check == BookResult.Ok && c.TimeInForce == TimeInForce.FillOrKill && Fillable(c.Side, c.Account, c.SelfTradePrevention, limit, quantity) < quantity)
            check = BookResult.FillOrKillNotFillable;
        if (check != BookResult.Ok)
        {
            events.Rejected(c.OrderId, c.Account, c.Side, check);
            return;
        }

        events.Accepted(c.OrderId, c.Account, c.Side, limit, quantity);
        var taker = new Order
        {
            Id = c.OrderId, Account = c.Account, Side = c.Side, Price = limit, Quantity = quantity,
            ClientOrderId = c.ClientOrderId, Flags = c.Flags, Stp = c.SelfTradePrevention, Sequence = 0,
        };
        var selfCanceled = Match(taker, events);
        if (!taker.Quantity.IsPositive || selfCanceled) return;
        if (OrderRules.CanRest(c))
        {
            taker.Sequence = _nextSequence++;
            Rest(taker);
        }
        else
        {
            events.Expired(taker.Id, taker.Account, taker.Side, limit, taker.Quantity);
        }
    }

    private Quantity Fillable(Side side, uint account, SelfTradePrevention stp, Price limit, Quantity wanted)
    {
        var available = Quantity.Zero;
        foreach (var level in SideOf(Opposite(side)).Values)
        {
            foreach (var maker in level)
            {
                if (!OrderRules.Crosses(side, limit, maker.Price)) return available;
                if (maker.Account == account)
                {
                    if (stp == SelfTradePrevention.CancelResting) continue;
                    return available;
                }
                available += maker.Quantity;
                if (available >= wanted) return available;
            }
        }
        return available;
    }

    /// <summary>Trades the taker against the other side; true when self-trade prevention canceled the taker.</summary>
    private bool Match(Order taker, BookEvents events)
    {
        while (taker.Quantity.IsPositive)
        {
            var maker = Best(Opposite(taker.Side));
            if (maker is null || !OrderRules.Crosses(taker.Side, taker.Price, maker.Price)) return false;
            if (maker.Account == taker.Account)
            {
                switch (taker.Stp)
                {
                    case SelfTradePrevention.CancelResting:
                        events.Canceled(maker.Id, maker.Account, maker.Side, maker.Price, maker.Quantity, Quantity.Zero, BookResult.CanceledBySelfTradePrevention);
                        Remove(maker);
                        continue;
                    case SelfTradePrevention.CancelIncoming:
                        events.Canceled(taker.Id, taker.Account, taker.Side, taker.Price, taker.Quantity, Quantity.Zero, BookResult.CanceledBySelfTradePrevention);
                        taker.Quantity = Quantity.Zero;
                        return true;
                    case SelfTradePrevention.DecrementBoth:
                        var overlap = Quantity.Min(taker.Quantity, maker.Quantity);
                        maker.Quantity -= overlap;
                        taker.Quantity -= overlap;
                        events.Canceled(maker.Id, maker.Account, maker.Side, maker.Price, overlap, maker.Quantity, BookResult.CanceledBySelfTradePrevention);
                        if (!maker.Quantity.IsPositive) Remove(maker);
                        events.Canceled(taker.Id, taker.Account, taker.Side, taker.Price, overlap, taker.Quantity, BookResult.CanceledBySelfTradePrevention);
                        continue;
                    default:
                        throw new InvalidOperationException($"unknown self-trade prevention mode {taker.Stp}");
                }
            }
            var traded = Quantity.Min(taker.Quantity, maker.Quantity);
            maker.Quantity -= traded;
            taker.Quantity -= traded;
            events.Filled(taker.Id, taker.Account, taker.Side, maker.Price, traded, maker.Id, maker.Account, maker.Quantity);
            if (!maker.Quantity.IsPositive) Remove(maker);
        }
        return false;
    }

    private void Rest(Order order)
    {
        var book = SideOf(order.Side);
        var key = Key(order.Side, order.Price);
        if (!book.TryGetValue(key, out var level)) book[key] = level = new LinkedList<Order>();
        level.AddLast(order);
        _byId[order.Id] = order;
        if (order.ClientOrderId != 0) _clientIds[(order.Account, order.ClientOrderId)] = order.Id;
    }

    /// <summary>Takes the order out of its level and out of every index.</summary>
    private void Remove(Order order)
    {
        Unlink(order);
        _byId.Remove(order.Id);
        if (order.ClientOrderId != 0) _clientIds.Remove((order.Account, order.ClientOrderId));
    }

    /// <summary>Takes the order out of its price level only; it stays known by id.</summary>
    private void Unlink(Order order)
    {
        var book = SideOf(order.Side);
        var key = Key(order.Side, order.Price);
        var level = book[key];
        level.Remove(order);
        if (level.Count == 0) book.Remove(key);
    }

    public void Cancel(ulong orderId, uint account, BookEvents events)
    {
        if (!_byId.TryGetValue(orderId, out var order)) { events.Rejected(orderId, account, default, BookResult.UnknownOrder); return; }
        if (order.Account != account) { events.Rejected(orderId, account, default, BookResult.NotOrderOwner); return; }
        events.Canceled(order.Id, order.Account, order.Side, order.Price, order.Quantity, Quantity.Zero, BookResult.CanceledByUser);
        Remove(order);
    }

    public void CancelAll(uint account, BookEvents events)
    {
        foreach (var order in _byId.Values.Where(o => o.Account == account).OrderBy(o => o.Sequence).ToList())
        {
            events.Canceled(order.Id, order.Account, order.Side, order.Price, order.Quantity, Quantity.Zero, BookResult.CanceledByUser);
            Remove(order);
        }
    }

    public void Amend(ulong orderId, uint account, Price price, Quantity quantity, BookEvents events)
    {
        if (!_byId.TryGetValue(orderId, out var order)) { events.Rejected(orderId, account, default, BookResult.UnknownOrder); return; }
        if (order.Account != account) { events.Rejected(orderId, account, default, BookResult.NotOrderOwner); return; }
        var check = OrderRules.CheckAmend(Spec, price, quantity);
        if (check == BookResult.Ok && (order.Flags & OrderFlags.ReduceOnly) != 0 && quantity > order.Quantity) check = BookResult.ReduceOnlyWouldIncrease;
        var opposite = Best(Opposite(order.Side));
        var keepsPriority = price == order.Price && quantity <= order.Quantity;
        if (check == BookResult.Ok && !keepsPriority && (order.Flags & OrderFlags.PostOnly) != 0 &&
            opposite is not null && OrderRules.Crosses(order.Side, price, opposite.Price))
            check = BookResult.PostOnlyWouldTake;
        if (check != BookResult.Ok) { events.Rejected(orderId, account, default, check); return; }

        if (keepsPriority)
        {
            order.Quantity = quantity;
            events.Amended(order.Id, order.Account, order.Side, price, quantity, BookResult.AmendKeptPriority);
            return;
        }
        Unlink(order);
        order.Price = price;
        order.Quantity = quantity;
        events.Amended(order.Id, order.Account, order.Side, price, quantity, BookResult.AmendLostPriority);
        var selfCanceled = Match(order, events);
        if (order.Quantity.IsPositive && !selfCanceled)
        {
            Rest(order);
            return;
        }
        _byId.Remove(order.Id);
        if (order.ClientOrderId != 0) _clientIds.Remove((order.Account, order.ClientOrderId));
    }

    public TopOfBook Top
    {
        get
        {
            var bid = _bids.Count > 0 ? _bids.First() : default;
            var ask = _asks.Count > 0 ? _asks.First() : default;
            return new TopOfBook(
                bid.Value is null ? Price.Zero : bid.Value.First!.Value.Price, Total(bid.Value),
                ask.Value is null ? Price.Zero : ask.Value.First!.Value.Price, Total(ask.Value));
        }
    }

    private static Quantity Total(LinkedList<Order>? level) =>
        level is null ? Quantity.Zero : level.Aggregate(Quantity.Zero, (sum, o) => sum + o.Quantity);

    public int Depth(Side side, Span<PriceLevel> levels)
    {
        var n = 0;
        foreach (var level in SideOf(side).Values)
        {
            if (n == levels.Length) break;
            levels[n++] = new PriceLevel(level.First!.Value.Price, Total(level), level.Count);
        }
        return n;
    }

    public IEnumerable<RestingOrder> Orders(Side side) => SideOf(side).Values.SelectMany(l => l).Select(o => o.View).ToList();

    public bool TryGetOrder(ulong orderId, out RestingOrder order)
    {
        var found = _byId.TryGetValue(orderId, out var o);
        order = found ? o!.View : default;
        return found;
    }

    public int OpenOrders(uint account) => _byId.Values.Count(o => o.Account == account);

    public Hash32 StateHash() => BookHash.Compute(this);

    public long NextSequence => _nextSequence;

    public void Restore(IEnumerable<RestingOrder> ordersInPriorityOrder, long nextSequence)
    {
        if (_byId.Count != 0) throw new InvalidOperationException("restore needs an empty book");
        foreach (var o in ordersInPriorityOrder)
        {
            if (o.Sequence >= nextSequence || _byId.ContainsKey(o.OrderId)) throw new InvalidOperationException($"order {o.OrderId} does not fit the snapshot");
            Rest(new Order
            {
                Id = o.OrderId, Account = o.Account, Side = o.Side, Price = o.Price, Quantity = o.Quantity,
                ClientOrderId = o.ClientOrderId, Flags = o.Flags, Stp = o.SelfTradePrevention, Sequence = o.Sequence,
            });
        }
        _nextSequence = nextSequence;
        ValidateInternalState();
    }

    public void ValidateInternalState()
    {
        var resting = 0;
        foreach (var side in (ReadOnlySpan<Side>)[Side.Buy, Side.Sell])
        {
            foreach (var (key, level) in SideOf(side))
            {
                if (level.Count == 0) throw new InvalidOperationException($"empty {side} level at {key}");
                foreach (var o in level)
                {
                    resting++;
                    if (Key(side, o.Price) != key || o.Side != side) throw new InvalidOperationException($"order {o.Id} filed under the wrong level");
                    if (!o.Quantity.IsPositive) throw new InvalidOperationException($"order {o.Id} rests with size {o.Quantity}");
                    if (!_byId.TryGetValue(o.Id, out var indexed) || indexed != o) throw new InvalidOperationException($"order {o.Id} missing from the id index");
                }
            }
        }
        if (resting != _byId.Count) throw new InvalidOperationException($"{_byId.Count} indexed orders but {resting} resting");
        if (_clientIds.Count != _byId.Values.Count(o => o.ClientOrderId != 0)) throw new InvalidOperationException("client order id index out of step");
        var top = Top;
        if (top.HasBid && top.HasAsk && top.BidPrice >= top.AskPrice) throw new InvalidOperationException($"crossed book: {top.BidPrice} >= {top.AskPrice}");
    }
}
