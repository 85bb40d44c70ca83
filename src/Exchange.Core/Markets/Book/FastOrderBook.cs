using System.Runtime.InteropServices;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Numerics;

namespace Exchange.Core.Markets.Book;

/// <summary>
/// The production order book. Orders and price levels live in pooled struct arrays linked by index
/// (intrusive lists per level and per account), so steady-state trading allocates nothing; each side
/// keeps its levels in a sorted array with the best price last. Behaviour is defined by
/// <see cref="ReferenceOrderBook"/>: the contract tests require identical events and hashes.
/// </summary>
public sealed class FastOrderBook : IOrderBook
{
    private const int None = -1;

    private struct OrderSlot
    {
        public ulong Id;
        public ulong ClientOrderId;
        public long Price;
        public long Quantity;
        public long Sequence;
        public uint Account;
        public int Level;
        public int Prev, Next;         // within the price level, oldest first; Next links the free list
        public int AccountSlot;
        public int AccountPrev, AccountNext; // within the account, by placement
        public Side Side;
        public OrderFlags Flags;
        public SelfTradePrevention Stp;
    }

    private struct LevelSlot
    {
        public long Price;
        public long Total;
        public int Head, Tail, Count; // Head links the free list
    }

    private struct AccountSlot
    {
        public uint Account;
        public int Open;
        public int Head, Tail; // Head links the free list
    }

    private readonly record struct ClientKey(uint Account, ulong ClientOrderId)
    {
        public override int GetHashCode() => (int)((ClientOrderId * 0x9E3779B97F4A7C15UL) >> 32) ^ (int)Account;
    }

    private OrderSlot[] _orders = new OrderSlot[1024];
    private int _orderCount, _freeOrder = None;
    private LevelSlot[] _levels = new LevelSlot[256];
    private int _levelCount, _freeLevel = None;
    private AccountSlot[] _accounts = new AccountSlot[64];
    private int _accountCount, _freeAccount = None;

    private readonly SideLevels _bids = new();
    private readonly SideLevels _asks = new();
    private readonly Dictionary<ulong, int> _byId = new(1024);
    private readonly Dictionary<uint, int> _accountIndex = new();
    private readonly Dictionary<ClientKey, ulong> _clientIds = new();
    private long _nextSequence = 1;

    public FastOrderBook(InstrumentSpec spec) => Spec = spec;

    public InstrumentSpec Spec { get; }
    public int Count => _byId.Count;

    private SideLevels SideOf(Side side) => side == Side.Buy ? _bids : _asks;
    private static long Key(Side side, long price) => side == Side.Buy ? price : -price;
    private static Side Opposite(Side side) => side == Side.Buy ? Side.Sell : Side.Buy;

    private static bool Crosses(Side side, long limit, long opposite) => side == Side.Buy ? limit >= opposite : limit <= opposite;

    private bool TryBestPrice(Side side, out long price)
    {
        var levels = SideOf(side);
        if (levels.Count == 0) { price = 0; return false; }
        price = _levels[levels.Best].Price;
        return true;
    }

    public void Place(in PlaceCommand c, BookEvents events)
    {
        var check = OrderRules.CheckCommand(Spec, c);
        if (check == BookResult.Ok && _byId.ContainsKey(c.OrderId)) check = BookResult.DuplicateOrderId;
        if (check == BookResult.Ok && c.ClientOrderId != 0 && _clientIds.ContainsKey(new ClientKey(c.Account, c.ClientOrderId))) check = BookResult.DuplicateClientOrderId;
        var quantity = c.Quantity.Raw;
        if (check == BookResult.Ok && c.ReduceOnly)
        {
            quantity = OrderRules.ReduceOnlyQuantity(Spec, c).Raw;
            if (quantity <= 0) check = BookResult.ReduceOnlyWouldIncrease;
        }
        var canRest = OrderRules.CanRest(c);
        if (check == BookResult.Ok && canRest && OpenOrders(c.Account) >= Spec.MaxOpenOrdersPerAccount) check = BookResult.TooManyOpenOrders;
        var hasOpposite = TryBestPrice(Opposite(c.Side), out var opposite);
        var limit = c.Price.Raw;
        if (check == BookResult.Ok && c.Type == OrderType.Market)
        {
            if (!hasOpposite) check = BookResult.NoLiquidity;
            else limit = Spec.BandLimit(c.Side, new Price(opposite)).Raw;
        }
        if (check == BookResult.Ok && c.PostOnly && hasOpposite && Crosses(c.Side, limit, opposite)) check = BookResult.PostOnlyWouldTake;
        if (check == BookResult.Ok && c.TimeInForce == TimeInForce.FillOrKill && !CanFill(c.Side, c.Account, c.SelfTradePrevention, limit, quantity))
            check = BookResult.FillOrKillNotFillable;
        if (check != BookResult.Ok)
        {
            events.Rejected(c.OrderId, c.Account, c.Side, check);
            return;
        }

        events.Accepted(c.OrderId, c.Account, c.Side, new Price(limit), new Quantity(quantity));
        var remaining = Match(c.OrderId, c.Account, c.Side, c.SelfTradePrevention, limit, quantity, events, out var selfCanceled);
        if (remaining == 0 || selfCanceled) return;
        if (canRest)
        {
            var slot = NewOrder(c.OrderId, c.Account, c.Side, limit, remaining, c.ClientOrderId, c.Flags, c.SelfTradePrevention);
            LinkIntoLevel(slot);
        }
        else
        {
            events.Expired(c.OrderId, c.Account, c.Side, new Price(limit), new Quantity(remaining));
        }
    }

    private bool CanFill(Side side, uint account, SelfTradePrevention stp, long limit, long wanted)
    {
        var levels = SideOf(Opposite(side));
        long available = 0;
        for (var i = 0; i < levels.Count; i++)
        {
            ref var level = ref _levels[levels.FromBest(i)];
            if (!Crosses(side, limit, level.Price)) return false;
            for (var o = level.Head; o != None; o = _orders[o].Next)
            {
                ref var maker = ref _orders[o];
                if (maker.Account == account)
                {
                    if (stp == SelfTradePrevention.CancelResting) continue;
                    return false;
                }
                available += maker.Quantity;
                if (available >= wanted) return true;
            }
        }
        return false;
    }

    /// <summary>Trades an incoming quantity against the opposite side; returns what is left.</summary>
    private long Match(ulong takerId, uint taker, Side side, SelfTradePrevention stp, long limit, long remaining, BookEvents events, out bool selfCanceled)
    {
        selfCanceled = false;
        var levels = SideOf(Opposite(side));
        while (remaining > 0 && levels.Count > 0)
        {
            var li = levels.Best;
            if (!Crosses(side, limit, _levels[li].Price)) break;
            var oi = _levels[li].Head;
            ref var maker = ref _orders[oi];
            if (maker.Account == taker)
            {
                switch (stp)
                {
                    case SelfTradePrevention.CancelResting:
                        events.Canceled(maker.Id, maker.Account, maker.Side, new Price(maker.Price), new Quantity(maker.Quantity), Quantity.Zero, BookResult.CanceledBySelfTradePrevention);
                        RemoveOrder(oi);
                        continue;
                    case SelfTradePrevention.CancelIncoming:
                        events.Canceled(takerId, taker, side, new Price(limit), new Quantity(remaining), Quantity.Zero, BookResult.CanceledBySelfTradePrevention);
                        selfCanceled = true;
                        return 0;
                    case SelfTradePrevention.DecrementBoth:
                        var overlap = Math.Min(remaining, maker.Quantity);
                        maker.Quantity -= overlap;
                        _levels[li].Total -= overlap;
                        remaining -= overlap;
                        events.Canceled(maker.Id, maker.Account, maker.Side, new Price(maker.Price), new Quantity(overlap), new Quantity(maker.Quantity), BookResult.CanceledBySelfTradePrevention);
                        if (maker.Quantity == 0) RemoveOrder(oi);
                        events.Canceled(takerId, taker, side, new Price(limit), new Quantity(overlap), new Quantity(remaining), BookResult.CanceledBySelfTradePrevention);
                        continue;
                    default:
                        throw new InvalidOperationException($"unknown self-trade prevention mode {stp}");
                }
            }
            var traded = Math.Min(remaining, maker.Quantity);
            maker.Quantity -= traded;
            _levels[li].Total -= traded;
            remaining -= traded;
            events.Filled(takerId, taker, side, new Price(maker.Price), new Quantity(traded), maker.Id, maker.Account, new Quantity(maker.Quantity));
            if (maker.Quantity == 0) RemoveOrder(oi);
        }
        return remaining;
    }

    public void Cancel(ulong orderId, uint account, BookEvents events)
    {
        if (!_byId.TryGetValue(orderId, out var oi)) { events.Rejected(orderId, account, default, BookResult.UnknownOrder); return; }
        ref var o = ref _orders[oi];
        if (o.Account != account) { events.Rejected(orderId, account, default, BookResult.NotOrderOwner); return; }
        events.Canceled(o.Id, o.Account, o.Side, new Price(o.Price), new Quantity(o.Quantity), Quantity.Zero, BookResult.CanceledByUser);
        RemoveOrder(oi);
    }

    public void CancelAll(uint account, BookEvents events)
    {
        if (!_accountIndex.TryGetValue(account, out var ai)) return;
        // Removing the account's last order frees its slot; walk by saved successor.
        var oi = _accounts[ai].Head;
        while (oi != None)
        {
            var next = _orders[oi].AccountNext;
            ref var o = ref _orders[oi];
            events.Canceled(o.Id, o.Account, o.Side, new Price(o.Price), new Quantity(o.Quantity), Quantity.Zero, BookResult.CanceledByUser);
            RemoveOrder(oi);
            oi = next;
        }
    }

    public void Amend(ulong orderId, uint account, Price price, Quantity quantity, BookEvents events)
    {
        if (!_byId.TryGetValue(orderId, out var oi)) { events.Rejected(orderId, account, default, BookResult.UnknownOrder); return; }
        ref var o = ref _orders[oi];
        if (o.Account != account) { events.Rejected(orderId, account, default, BookResult.NotOrderOwner); return; }
        var check = OrderRules.CheckAmend(Spec, price, quantity);
        if (check == BookResult.Ok && (o.Flags & OrderFlags.ReduceOnly) != 0 && quantity.Raw > o.Quantity) check = BookResult.ReduceOnlyWouldIncrease;
        var keepsPriority = price.Raw == o.Price && quantity.Raw <= o.Quantity;
        if (check == BookResult.Ok && !keepsPriority && (o.Flags & OrderFlags.PostOnly) != 0 &&
            TryBestPrice(Opposite(o.Side), out var opposite) && Crosses(o.Side, price.Raw, opposite))
            check = BookResult.PostOnlyWouldTake;
        if (check != BookResult.Ok) { events.Rejected(orderId, account, default, check); return; }

        if (keepsPriority)
        {
            _levels[o.Level].Total -= o.Quantity - quantity.Raw;
            o.Quantity = quantity.Raw;
            events.Amended(o.Id, o.Account, o.Side, price, quantity, BookResult.AmendKeptPriority);
            return;
        }
        UnlinkFromLevel(oi);
        events.Amended(o.Id, o.Account, o.Side, price, quantity, BookResult.AmendLostPriority);
        var remaining = Match(o.Id, o.Account, o.Side, o.Stp, price.Raw, quantity.Raw, events, out var selfCanceled);
        ref var amended = ref _orders[oi];
        if (remaining > 0 && !selfCanceled)
        {
            amended.Price = price.Raw;
            amended.Quantity = remaining;
            LinkIntoLevel(oi);
            return;
        }
        amended.Level = None;
        ForgetOrder(oi);
    }

    private int NewOrder(ulong id, uint account, Side side, long price, long quantity, ulong clientOrderId, OrderFlags flags, SelfTradePrevention stp)
    {
        int oi;
        if (_freeOrder != None)
        {
            oi = _freeOrder;
            _freeOrder = _orders[oi].Next;
        }
        else
        {
            if (_orderCount == _orders.Length) Array.Resize(ref _orders, _orders.Length * 2);
            oi = _orderCount++;
        }
        var ai = AccountSlotFor(account);
        ref var o = ref _orders[oi];
        o = new OrderSlot
        {
            Id = id, ClientOrderId = clientOrderId, Price = price, Quantity = quantity, Sequence = _nextSequence++,
            Account = account, Level = None, Prev = None, Next = None, AccountSlot = ai, AccountPrev = None, AccountNext = None,
            Side = side, Flags = flags, Stp = stp,
        };
        _accounts[ai].Open++;
        LinkToAccount(oi);
        _byId.Add(id, oi);
        if (clientOrderId != 0) _clientIds.Add(new ClientKey(account, clientOrderId), id);
        return oi;
    }

    private int AccountSlotFor(uint account)
    {
        ref var ai = ref CollectionsMarshal.GetValueRefOrAddDefault(_accountIndex, account, out var exists);
        if (exists) return ai;
        int slot;
        if (_freeAccount != None)
        {
            slot = _freeAccount;
            _freeAccount = _accounts[slot].Head;
        }
        else
        {
            if (_accountCount == _accounts.Length) Array.Resize(ref _accounts, _accounts.Length * 2);
            slot = _accountCount++;
        }
        _accounts[slot] = new AccountSlot { Account = account, Open = 0, Head = None, Tail = None };
        ai = slot;
        return slot;
    }

    /// <summary>Appends the order at the back of its price level, creating the level if needed.</summary>
    private void LinkIntoLevel(int oi)
    {
        ref var o = ref _orders[oi];
        var levels = SideOf(o.Side);
        var key = Key(o.Side, o.Price);
        var pos = levels.Find(key);
        int li;
        if (pos >= 0)
        {
            li = levels.LevelAt(pos);
        }
        else
        {
            li = NewLevel(o.Price);
            levels.Insert(~pos, key, li);
        }
        ref var level = ref _levels[li];
        o.Level = li;
        o.Prev = level.Tail;
        o.Next = None;
        if (level.Tail != None) _orders[level.Tail].Next = oi;
        else level.Head = oi;
        level.Tail = oi;
        level.Count++;
        level.Total += o.Quantity;
    }

    private int NewLevel(long price)
    {
        int li;
        if (_freeLevel != None)
        {
            li = _freeLevel;
            _freeLevel = _levels[li].Head;
        }
        else
        {
            if (_levelCount == _levels.Length) Array.Resize(ref _levels, _levels.Length * 2);
            li = _levelCount++;
        }
        _levels[li] = new LevelSlot { Price = price, Total = 0, Head = None, Tail = None, Count = 0 };
        return li;
    }

    /// <summary>Takes the order out of its price level (dropping an emptied level); it stays indexed by id and account.</summary>
    private void UnlinkFromLevel(int oi)
    {
        ref var o = ref _orders[oi];
        var li = o.Level;
        ref var level = ref _levels[li];
        if (o.Prev != None) _orders[o.Prev].Next = o.Next;
        else level.Head = o.Next;
        if (o.Next != None) _orders[o.Next].Prev = o.Prev;
        else level.Tail = o.Prev;
        level.Count--;
        level.Total -= o.Quantity;
        o.Level = None;
        if (level.Count > 0) return;

        var levels = SideOf(o.Side);
        var key = Key(o.Side, level.Price);
        var pos = levels.Count > 0 && levels.BestKey == key ? levels.Count - 1 : levels.Find(key);
        levels.RemoveAt(pos);
        level.Head = _freeLevel;
        _freeLevel = li;
    }

    private void RemoveOrder(int oi)
    {
        UnlinkFromLevel(oi);
        ForgetOrder(oi);
    }

    /// <summary>Drops an order that is in no level from the id, client-id and account indexes and frees its slot.</summary>
    private void ForgetOrder(int oi)
    {
        ref var o = ref _orders[oi];
        _byId.Remove(o.Id);
        if (o.ClientOrderId != 0) _clientIds.Remove(new ClientKey(o.Account, o.ClientOrderId));
        var ai = o.AccountSlot;
        UnlinkFromAccount(oi);
        ref var a = ref _accounts[ai];
        if (--a.Open == 0)
        {
            _accountIndex.Remove(a.Account);
            a.Head = _freeAccount;
            _freeAccount = ai;
        }
        o.Next = _freeOrder;
        _freeOrder = oi;
    }

    /// <summary>Appends the order at the end of its account's placement-ordered list.</summary>
    private void LinkToAccount(int oi)
    {
        ref var o = ref _orders[oi];
        ref var a = ref _accounts[o.AccountSlot];
        o.AccountPrev = a.Tail;
        o.AccountNext = None;
        if (a.Tail != None) _orders[a.Tail].AccountNext = oi;
        else a.Head = oi;
        a.Tail = oi;
    }

    private void UnlinkFromAccount(int oi)
    {
        ref var o = ref _orders[oi];
        ref var a = ref _accounts[o.AccountSlot];
        if (o.AccountPrev != None) _orders[o.AccountPrev].AccountNext = o.AccountNext;
        else a.Head = o.AccountNext;
        if (o.AccountNext != None) _orders[o.AccountNext].AccountPrev = o.AccountPrev;
        else a.Tail = o.AccountPrev;
        o.AccountPrev = o.AccountNext = None;
    }

    public TopOfBook Top
    {
        get
        {
            Price bidPrice = default, askPrice = default;
            Quantity bidQty = default, askQty = default;
            if (_bids.Count > 0) { ref var b = ref _levels[_bids.Best]; bidPrice = new Price(b.Price); bidQty = new Quantity(b.Total); }
            if (_asks.Count > 0) { ref var a = ref _levels[_asks.Best]; askPrice = new Price(a.Price); askQty = new Quantity(a.Total); }
            return new TopOfBook(bidPrice, bidQty, askPrice, askQty);
        }
    }

    public int Depth(Side side, Span<PriceLevel> levels)
    {
        var book = SideOf(side);
        var n = Math.Min(levels.Length, book.Count);
        for (var i = 0; i < n; i++)
        {
            ref var l = ref _levels[book.FromBest(i)];
            levels[i] = new PriceLevel(new Price(l.Price), new Quantity(l.Total), l.Count);
        }
        return n;
    }

    public IEnumerable<RestingOrder> Orders(Side side)
    {
        var book = SideOf(side);
        var result = new List<RestingOrder>();
        for (var i = 0; i < book.Count; i++)
            for (var o = _levels[book.FromBest(i)].Head; o != None; o = _orders[o].Next)
                result.Add(View(o));
        return result;
    }

    private RestingOrder View(int oi)
    {
        ref var o = ref _orders[oi];
        return new RestingOrder(o.Id, o.Account, o.Side, new Price(o.Price), new Quantity(o.Quantity), o.ClientOrderId, o.Flags, o.Stp, o.Sequence);
    }

    public bool TryGetOrder(ulong orderId, out RestingOrder order)
    {
        var found = _byId.TryGetValue(orderId, out var oi);
        order = found ? View(oi) : default;
        return found;
    }

    public int OpenOrders(uint account) => _accountIndex.TryGetValue(account, out var ai) ? _accounts[ai].Open : 0;

    public Hash32 StateHash() => BookHash.Compute(this);

    public long NextSequence => _nextSequence;

    public void Restore(IEnumerable<RestingOrder> ordersInPriorityOrder, long nextSequence)
    {
        if (_byId.Count != 0) throw new InvalidOperationException("restore needs an empty book");
        // Orders come in priority order, but each account's list must be in placement order: link accounts afterwards.
        var restored = new List<int>();
        foreach (var o in ordersInPriorityOrder)
        {
            if (o.Sequence >= nextSequence || _byId.ContainsKey(o.OrderId)) throw new InvalidOperationException($"order {o.OrderId} does not fit the snapshot");
            var oi = NewOrder(o.OrderId, o.Account, o.Side, o.Price.Raw, o.Quantity.Raw, o.ClientOrderId, o.Flags, o.SelfTradePrevention);
            _orders[oi].Sequence = o.Sequence;
            LinkIntoLevel(oi);
            restored.Add(oi);
        }
        foreach (var oi in restored) UnlinkFromAccount(oi);
        restored.Sort((a, b) => _orders[a].Sequence.CompareTo(_orders[b].Sequence));
        foreach (var oi in restored) LinkToAccount(oi);
        _nextSequence = nextSequence;
        ValidateInternalState();
    }

    public void ValidateInternalState()
    {
        var resting = 0;
        var perAccount = new Dictionary<uint, int>();
        foreach (var side in (ReadOnlySpan<Side>)[Side.Buy, Side.Sell])
        {
            var book = SideOf(side);
            for (var p = 0; p < book.Count; p++)
            {
                if (p > 0 && book.KeyAt(p) <= book.KeyAt(p - 1)) throw new InvalidOperationException($"{side} levels out of order at {p}");
                var li = book.LevelAt(p);
                ref var level = ref _levels[li];
                if (Key(side, level.Price) != book.KeyAt(p)) throw new InvalidOperationException($"{side} level {li} filed under the wrong key");
                if (level.Count == 0) throw new InvalidOperationException($"empty {side} level at {level.Price}");
                long total = 0;
                int count = 0, prev = None;
                for (var o = level.Head; o != None; prev = o, o = _orders[o].Next)
                {
                    ref var order = ref _orders[o];
                    if (order.Prev != prev) throw new InvalidOperationException($"order {order.Id}: broken level links");
                    if (order.Level != li || order.Side != side || order.Price != level.Price) throw new InvalidOperationException($"order {order.Id} filed under the wrong level");
                    if (order.Quantity <= 0) throw new InvalidOperationException($"order {order.Id} rests with size {order.Quantity}");
                    if (!_byId.TryGetValue(order.Id, out var indexed) || indexed != o) throw new InvalidOperationException($"order {order.Id} missing from the id index");
                    total += order.Quantity;
                    count++;
                    perAccount[order.Account] = perAccount.GetValueOrDefault(order.Account) + 1;
                }
                if (prev != level.Tail) throw new InvalidOperationException($"{side} level {level.Price}: tail is not the last order");
                if (total != level.Total || count != level.Count) throw new InvalidOperationException($"{side} level {level.Price}: totals out of step");
                resting += count;
            }
        }
        if (resting != _byId.Count) throw new InvalidOperationException($"{_byId.Count} indexed orders but {resting} resting");
        if (perAccount.Count != _accountIndex.Count) throw new InvalidOperationException("account index out of step");
        foreach (var (account, open) in perAccount)
        {
            var a = _accounts[_accountIndex[account]];
            var walked = 0;
            long lastSequence = 0;
            for (var o = a.Head; o != None; o = _orders[o].AccountNext)
            {
                if (_orders[o].Sequence <= lastSequence) throw new InvalidOperationException($"account {account}: orders not in placement order");
                lastSequence = _orders[o].Sequence;
                walked++;
            }
            if (a.Open != open || walked != open) throw new InvalidOperationException($"account {account}: {a.Open} counted, {walked} listed, {open} resting");
        }
        var withClientId = 0;
        foreach (var oi in _byId.Values)
            if (_orders[oi].ClientOrderId != 0) withClientId++;
        if (withClientId != _clientIds.Count) throw new InvalidOperationException("client order id index out of step");
        var top = Top;
        if (top.HasBid && top.HasAsk && top.BidPrice >= top.AskPrice) throw new InvalidOperationException($"crossed book: {top.BidPrice} >= {top.AskPrice}");
    }
}
