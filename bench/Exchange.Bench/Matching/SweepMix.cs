using Exchange.Core.Ledger;
using Exchange.Core.Markets.Book;

namespace Exchange.Bench.Matching;

/// <summary>
/// Mix 2, heavy in aggressive orders: 12% are sweeps that trade through 3 to 10 price levels
/// (half immediate-or-cancel limits, a fifth market orders, the rest good-til-cancelled limits whose
/// remainder rests past the swept levels), 83% new good-til-cancelled limits that refill the levels
/// near the mid, and 5% cancels of live orders. A sweep empties every level before its last, so
/// several new limits per sweep are needed to keep the book from draining; the refills go deeper
/// only while the book is below its target size.
/// </summary>
internal sealed class SweepMix(ulong seed) : MixGenerator(seed)
{
    private const int NearMidTicks = 10;
    private readonly PriceLevel[] _levels = new PriceLevel[10];

    protected override BookOp NextOp()
    {
        if (Random.Chance(0.05)) return CancelLive();
        if (Random.Chance(0.25 * Pressure)) return Sweep();
        return NewOrder(RandomSide(), TimeInForce.GoodTilCancelled, Refill);
    }

    private long Refill(Side side) => Random.Chance(0.5) ? PassivePrice(side, Random.Next(NearMidTicks)) : PassivePrice(side);

    private BookOp Sweep()
    {
        var side = RandomSide();
        var levels = Book.Depth(side == Side.Buy ? Side.Sell : Side.Buy, _levels.AsSpan(0, 3 + Random.Next(8)));
        if (levels == 0) return NewOrder(side, TimeInForce.GoodTilCancelled, Refill);
        long quantity = 0;
        for (var i = 0; i < levels - 1; i++) quantity += _levels[i].Quantity.Raw;
        var last = _levels[levels - 1];
        quantity += Lots(1 + Random.Next((int)(last.Quantity.Raw / Lot)));
        var account = RandomAccount();
        var kind = Random.Next(10);
        if (kind < 5) return BookOp.Place(NextId(), account, side, OrderType.Limit, TimeInForce.ImmediateOrCancel, last.Price.Raw, quantity);
        if (kind < 7) return BookOp.Place(NextId(), account, side, OrderType.Market, TimeInForce.ImmediateOrCancel, 0, quantity);
        return BookOp.Place(NextId(), account, side, OrderType.Limit, TimeInForce.GoodTilCancelled, last.Price.Raw, quantity + Lots(1 + Random.Next(20)));
    }
}
