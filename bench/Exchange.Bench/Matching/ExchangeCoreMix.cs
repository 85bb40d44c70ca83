using Exchange.Core.Ledger;

namespace Exchange.Bench.Matching;

/// <summary>
/// Mix 1, exchange-core's published single-book mix: 82% amends that move a live order to another
/// price, 9% new good-til-cancelled limits, 3% immediate-or-cancel orders, 6% cancels of live orders,
/// on a book of about 1,000 resting orders from 1,000 accounts. The shares are drawn per op and do
/// not adapt; what adapts to hold the book near its size is how aggressive the orders are: the
/// fuller the book, the more amends and new limits cross and the larger the immediate orders.
/// </summary>
internal sealed class ExchangeCoreMix(ulong seed) : MixGenerator(seed)
{
    protected override BookOp NextOp()
    {
        var roll = Random.Next(100);
        if (roll < 82) return MovePrice();
        if (roll < 91) return NewOrder(RandomSide(), TimeInForce.GoodTilCancelled, side => Random.Chance(0.2 * Pressure) ? CrossingPrice(side, Random.Next(3)) : PassivePrice(side));
        if (roll < 94) return Immediate();
        return CancelLive();
    }

    /// <summary>Moves a live order to a different price with its size unchanged, now and then across the spread.</summary>
    private BookOp MovePrice()
    {
        var order = PickLive();
        var price = Random.Chance(0.04 * Pressure) ? CrossingPrice(order.Side, Random.Next(3)) : PassivePrice(order.Side);
        // Same price would keep priority and move nothing; step one tick away from the spread instead.
        if (price == order.Price.Raw) price += order.Side == Side.Buy ? -Tick : Tick;
        return BookOp.Amend(order.OrderId, order.Account, price, order.Quantity.Raw);
    }

    private BookOp Immediate()
    {
        var side = RandomSide();
        var lots = 1 + Random.Next(5);
        return BookOp.Place(NextId(), RandomAccount(), side, OrderType.Limit, TimeInForce.ImmediateOrCancel, CrossingPrice(side, Random.Next(3)), Lots(lots));
    }
}
