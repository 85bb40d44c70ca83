using Exchange.Core.Ledger;
using Exchange.Core.Markets;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;

namespace Exchange.Bench.Matching;

/// <summary>
/// The part every mix shares: it replays each op it makes through a book of its own, so it always
/// knows which orders are live and where the best prices are, and its amends and cancels hit live
/// orders. The book rests around a fixed mid of 1,000.0 in ticks of 0.1; passive prices are drawn
/// as a distance from the mid, skewed toward it, and never cross the opposite best.
/// </summary>
internal abstract class MixGenerator
{
    public const long Tick = 100_000;
    public const long Lot = 100_000;

    /// <summary>Tick and lot 0.1; an open-order limit no account in these streams comes near.</summary>
    public static readonly InstrumentSpec Spec = InstrumentSpec.Create(new Price(Tick), new Quantity(Lot), new Quantity(Lot), priceBandBps: 1_000, maxOpenOrdersPerAccount: 10_000);

    /// <summary>The number of resting orders each mix keeps its book near, as exchange-core's benchmark does.</summary>
    public const int RestingTarget = 1_000;

    protected const long MidTicks = 10_000;

    /// <summary>How far past <see cref="RestingTarget"/> the prefix fills the book before cancelling back to it.</summary>
    private const int Overfill = 500;
    private const int Accounts = 1_000;

    /// <summary>Passive distances from the mid run to this many ticks, as the product of two uniform draws.</summary>
    private const int DistanceRange = 400;

    private readonly FastOrderBook _book = new(Spec);
    private readonly BookEvents _events = new();
    private readonly LiveOrders _live = new();
    private ulong _nextId = 1;

    protected MixGenerator(ulong seed) => Random = new SplitMix64(seed);

    protected SplitMix64 Random { get; }
    protected IOrderBook Book => _book;

    /// <summary>How far the book is above its target size, mapped to 0 (well below) .. 1 (well above); mixes trade harder as it rises.</summary>
    protected double Pressure => Math.Clamp(0.5 + (_book.Count - RestingTarget) / 100.0, 0, 1);

    protected abstract BookOp NextOp();

    public MatchingStream Generate(string name, int settleOps, int measuredOps)
    {
        var prefix = new List<BookOp>(RestingTarget + 2 * Overfill + settleOps);
        // Filling past the target and cancelling back grows the book's pools beyond any size the
        // measured ops reach, as a long-lived book's would be, so the timers never see their growth.
        while (_book.Count < RestingTarget + Overfill) prefix.Add(Emit(NewOrder(RandomSide(), TimeInForce.GoodTilCancelled, PassivePrice)));
        while (_book.Count > RestingTarget) prefix.Add(Emit(CancelLive()));
        for (var i = 0; i < settleOps; i++) prefix.Add(Emit(NextOp()));
        var measured = new BookOp[measuredOps];
        var profile = new StreamProfile(measuredOps);
        for (var i = 0; i < measuredOps; i++)
        {
            measured[i] = Emit(NextOp());
            profile.Record(measured[i], _events, _book);
        }
        return new MatchingStream(name, [.. prefix], measured, profile);
    }

    private BookOp Emit(BookOp op)
    {
        _events.Clear();
        op.Apply(_book, _events);
        _live.Follow(_book, op, _events);
        if (_live.Count != _book.Count) throw new InvalidOperationException($"generator lost track of live orders at id {op.OrderId}");
        return op;
    }

    protected ulong NextId() => _nextId++;
    protected uint RandomAccount() => (uint)(1 + Random.Next(Accounts));
    protected Side RandomSide() => Random.Next(2) == 0 ? Side.Buy : Side.Sell;
    protected static long Lots(long lots) => lots * Lot;

    protected RestingOrder PickLive()
    {
        var id = _live.Pick(Random);
        return _book.TryGetOrder(id, out var order) ? order : throw new InvalidOperationException($"live order {id} is not in the book");
    }

    protected BookOp NewOrder(Side side, TimeInForce tif, Func<Side, long> price) =>
        BookOp.Place(NextId(), RandomAccount(), side, OrderType.Limit, tif, price(side), Lots(1 + Random.Next(50)));

    protected BookOp CancelLive()
    {
        var order = PickLive();
        return BookOp.Cancel(order.OrderId, order.Account);
    }

    /// <summary>A skewed distance from the mid: most orders rest near it, a few up to <see cref="DistanceRange"/> ticks away.</summary>
    protected int Distance() => Random.Next(DistanceRange) * Random.Next(DistanceRange) / DistanceRange;

    /// <summary>A price that rests: <see cref="Distance"/> ticks on the side's own half of the mid, kept a tick short of the opposite best.</summary>
    protected long PassivePrice(Side side) => PassivePrice(side, Distance());

    protected long PassivePrice(Side side, int distance)
    {
        var top = _book.Top;
        if (side == Side.Buy)
        {
            var price = (MidTicks - 1 - distance) * Tick;
            if (top.HasAsk) price = Math.Min(price, top.AskPrice.Raw - Tick);
            return Math.Max(Tick, price);
        }
        var ask = (MidTicks + 1 + distance) * Tick;
        return top.HasBid ? Math.Max(ask, top.BidPrice.Raw + Tick) : ask;
    }

    /// <summary>A price <paramref name="through"/> ticks past the opposite best, so the order trades; passive when that side is empty.</summary>
    protected long CrossingPrice(Side side, int through)
    {
        var top = _book.Top;
        if (side == Side.Buy) return top.HasAsk ? top.AskPrice.Raw + through * Tick : PassivePrice(side);
        return top.HasBid ? Math.Max(Tick, top.BidPrice.Raw - through * Tick) : PassivePrice(side);
    }
}
