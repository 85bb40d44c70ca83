using Exchange.Core.Ledger;
using Exchange.Core.Markets;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;
using static Exchange.Core.Markets.Book.BookEventType;

namespace Exchange.Core.Tests.Markets.Book;

/// <summary>The behaviour every order book must have; run once per implementation.</summary>
public abstract class OrderBookContract
{
    protected abstract IOrderBook Create(InstrumentSpec spec);

    private BookFixture New() => new(Create(BookFixture.Spec));

    private static BookEventType[] Types(List<BookEvent> events) => events.Select(e => e.Type).ToArray();

    [Fact]
    public void Resting_orders_should_form_top_of_book_and_aggregated_depth()
    {
        var f = New();
        f.Place(1, 1, Side.Buy, "10", "1");
        f.Place(2, 2, Side.Buy, "10", "2");
        f.Place(3, 1, Side.Buy, "9.9", "1");
        f.Place(4, 3, Side.Sell, "10.5", "0.5");
        Assert.Equal(new TopOfBook(Price.Parse("10"), Quantity.Parse("3"), Price.Parse("10.5"), Quantity.Parse("0.5")), f.Book.Top);
        Span<PriceLevel> levels = stackalloc PriceLevel[5];
        var n = f.Book.Depth(Side.Buy, levels);
        Assert.Equal([new PriceLevel(Price.Parse("10"), Quantity.Parse("3"), 2), new PriceLevel(Price.Parse("9.9"), Quantity.Parse("1"), 1)], levels[..n].ToArray());
        Assert.Equal([1UL, 2, 3], f.OrderIds(Side.Buy));
        Assert.Equal(4, f.Book.Count);
    }

    [Fact]
    public void Crossing_order_should_fill_best_price_first_then_oldest_first_at_the_makers_price()
    {
        var f = New();
        f.Place(1, 1, Side.Sell, "10.2", "1");
        f.Place(2, 2, Side.Sell, "10.1", "1");
        f.Place(3, 3, Side.Sell, "10.1", "1");
        var events = f.Place(4, 9, Side.Buy, "10.2", "2.5");
        Assert.Equal([Accepted, Filled, Filled, Filled], Types(events));
        Assert.Equal((2UL, "10.1", "1"), (events[1].MakerOrderId, events[1].Price.ToString(), events[1].Quantity.ToString()));
        Assert.Equal((3UL, "10.1", "1"), (events[2].MakerOrderId, events[2].Price.ToString(), events[2].Quantity.ToString()));
        Assert.Equal((1UL, "10.2", "0.5", "0.5"), (events[3].MakerOrderId, events[3].Price.ToString(), events[3].Quantity.ToString(), events[3].Remaining.ToString()));
        Assert.All(events.Skip(1), e => Assert.Equal(Side.Buy, e.Side));
        Assert.Equal([1UL], f.OrderIds(Side.Sell));
        Assert.Empty(f.OrderIds(Side.Buy));
    }

    [Fact]
    public void Unfilled_rest_should_rest_for_good_til_cancelled_and_expire_for_immediate_or_cancel()
    {
        var f = New();
        f.Place(1, 1, Side.Sell, "10", "1");
        Assert.Equal([Accepted, Filled], Types(f.Place(2, 2, Side.Buy, "10", "3")));
        Assert.Equal(Quantity.Parse("2"), f.Book.Top.BidQuantity);
        // The new ask trades with the resting bid at once, leaving 1 bid for the IOC to take.
        Assert.Equal([Accepted, Filled], Types(f.Place(3, 1, Side.Sell, "10", "1")));
        var ioc = f.Place(4, 3, Side.Sell, "9", "5", TimeInForce.ImmediateOrCancel);
        Assert.Equal([Accepted, Filled, Expired], Types(ioc));
        Assert.Equal(Quantity.Parse("4"), ioc[2].Quantity);
        Assert.False(f.Book.Top.HasAsk);
    }

    [Fact]
    public void Fill_or_kill_should_fill_completely_or_change_nothing()
    {
        var f = New();
        f.Place(1, 1, Side.Sell, "10", "1");
        f.Place(2, 2, Side.Sell, "10.1", "1");
        var before = f.Book.StateHash();
        var killed = f.Place(3, 3, Side.Buy, "10.1", "2.1", TimeInForce.FillOrKill);
        Assert.Equal(BookResult.FillOrKillNotFillable, Assert.Single(killed).Code);
        Assert.Equal(before, f.Book.StateHash());
        Assert.Equal([Accepted, Filled, Filled], Types(f.Place(4, 3, Side.Buy, "10.1", "2", TimeInForce.FillOrKill)));
        Assert.Equal(0, f.Book.Count);
    }

    [Fact]
    public void Fill_or_kill_should_not_count_liquidity_it_may_not_trade_with()
    {
        var f = New();
        f.Place(1, 7, Side.Sell, "10", "1");
        f.Place(2, 1, Side.Sell, "10", "1");
        Assert.Equal(BookResult.FillOrKillNotFillable,
            f.Place(3, 7, Side.Buy, "10", "2", TimeInForce.FillOrKill, stp: SelfTradePrevention.CancelResting).Single().Code);
        Assert.Equal(BookResult.FillOrKillNotFillable,
            f.Place(4, 7, Side.Buy, "10", "1", TimeInForce.FillOrKill, stp: SelfTradePrevention.CancelIncoming).Single().Code);
        var events = f.Place(5, 7, Side.Buy, "10", "1", TimeInForce.FillOrKill, stp: SelfTradePrevention.CancelResting);
        Assert.Equal([Accepted, Canceled, Filled], Types(events));
    }

    [Fact]
    public void Post_only_should_rest_or_be_refused_but_never_take()
    {
        var f = New();
        f.Place(1, 1, Side.Sell, "10", "1");
        var refused = f.Place(2, 2, Side.Buy, "10", "1", flags: OrderFlags.PostOnly);
        Assert.Equal(BookResult.PostOnlyWouldTake, Assert.Single(refused).Code);
        Assert.Equal([Accepted], Types(f.Place(3, 2, Side.Buy, "9.9", "1", flags: OrderFlags.PostOnly)));
        Assert.Equal(BookResult.InvalidOrderCombination,
            f.Place(4, 2, Side.Buy, "9.9", "1", TimeInForce.ImmediateOrCancel, OrderFlags.PostOnly).Single().Code);
    }

    [Fact]
    public void Market_order_should_sweep_within_the_price_band_and_expire_the_rest()
    {
        var f = New();
        Assert.Equal(BookResult.NoLiquidity, f.Market(1, 9, Side.Buy, "1").Single().Code);
        f.Place(2, 1, Side.Sell, "100", "1");
        f.Place(3, 1, Side.Sell, "109.9", "1");
        f.Place(4, 1, Side.Sell, "110.1", "1");
        var events = f.Market(5, 9, Side.Buy, "5");
        // Band is 10% of the best ask 100: the limit is 110, so 110.1 is out of reach.
        Assert.Equal([Accepted, Filled, Filled, Expired], Types(events));
        Assert.Equal(Price.Parse("110"), events[0].Price);
        Assert.Equal(Quantity.Parse("3"), events[3].Quantity);
        Assert.Equal([4UL], f.OrderIds(Side.Sell));
        Assert.Equal(BookResult.InvalidOrderCombination, f.Market(6, 9, Side.Buy, "1", TimeInForce.GoodTilCancelled).Single().Code);
    }

    [Fact]
    public void Reduce_only_should_be_trimmed_to_the_position_and_refused_when_it_would_increase_it()
    {
        var f = New();
        f.Place(1, 1, Side.Buy, "10", "5");
        var trimmed = f.Place(2, 2, Side.Sell, "10", "3", flags: OrderFlags.ReduceOnly, position: "1.25");
        Assert.Equal([Accepted, Filled], Types(trimmed));
        Assert.Equal(Quantity.Parse("1.2"), trimmed[0].Quantity);
        Assert.Equal(BookResult.ReduceOnlyWouldIncrease, f.Place(3, 2, Side.Sell, "10", "1", flags: OrderFlags.ReduceOnly, position: "-1").Single().Code);
        Assert.Equal(BookResult.ReduceOnlyWouldIncrease, f.Place(4, 2, Side.Buy, "9", "1", flags: OrderFlags.ReduceOnly, position: "0").Single().Code);
    }

    [Fact]
    public void Cancel_should_remove_only_the_owners_live_order()
    {
        var f = New();
        f.Place(1, 1, Side.Buy, "10", "1");
        var before = f.Book.StateHash();
        Assert.Equal(BookResult.NotOrderOwner, f.Cancel(1, 2).Single().Code);
        Assert.Equal(BookResult.UnknownOrder, f.Cancel(99, 1).Single().Code);
        Assert.Equal(before, f.Book.StateHash());
        var canceled = f.Cancel(1, 1).Single();
        Assert.Equal((Canceled, BookResult.CanceledByUser, Quantity.Parse("1")), (canceled.Type, canceled.Code, canceled.Quantity));
        Assert.Equal(BookResult.UnknownOrder, f.Cancel(1, 1).Single().Code);
        Assert.Equal(0, f.Book.Count);
    }

    [Fact]
    public void Cancel_all_should_remove_every_order_of_the_account_oldest_first()
    {
        var f = New();
        f.Place(5, 1, Side.Buy, "10", "1");
        f.Place(3, 2, Side.Buy, "10", "1");
        f.Place(9, 1, Side.Sell, "11", "1");
        f.Place(4, 1, Side.Buy, "9", "1");
        f.Amend(5, 1, "9.5", "2");
        var events = f.CancelAll(1);
        Assert.Equal([5UL, 9, 4], events.Select(e => e.OrderId));
        Assert.All(events, e => Assert.Equal(BookResult.CanceledByUser, e.Code));
        Assert.Equal([3UL], f.OrderIds(Side.Buy));
        Assert.Empty(f.CancelAll(1));
        Assert.Equal(0, f.Book.OpenOrders(1));
    }

    [Fact]
    public void Amend_should_keep_priority_only_for_a_pure_size_decrease()
    {
        var f = New();
        f.Place(1, 1, Side.Buy, "10", "2");
        f.Place(2, 2, Side.Buy, "10", "2");
        Assert.Equal(BookResult.AmendKeptPriority, f.Amend(1, 1, "10", "1").Single().Code);
        Assert.Equal([1UL, 2], f.OrderIds(Side.Buy));
        Assert.Equal(BookResult.AmendLostPriority, f.Amend(1, 1, "10", "1.5").Single().Code);
        Assert.Equal([2UL, 1], f.OrderIds(Side.Buy));
        Assert.Equal(BookResult.AmendLostPriority, f.Amend(2, 2, "10.1", "2").Single().Code);
        Assert.Equal(BookResult.AmendLostPriority, f.Amend(2, 2, "10", "2").Single().Code);
        Assert.Equal([1UL, 2], f.OrderIds(Side.Buy));
        Assert.Equal(Quantity.Parse("3.5"), f.Book.Top.BidQuantity);
    }

    [Fact]
    public void Amend_that_crosses_should_trade_and_rest_the_remainder()
    {
        var f = New();
        f.Place(1, 1, Side.Sell, "10", "1");
        f.Place(2, 2, Side.Buy, "9", "3", clientOrderId: 77);
        var events = f.Amend(2, 2, "10", "3");
        Assert.Equal([Amended, Filled], Types(events));
        Assert.True(f.Book.TryGetOrder(2, out var rest));
        Assert.Equal((Price.Parse("10"), Quantity.Parse("2"), 77UL), (rest.Price, rest.Quantity, rest.ClientOrderId));
        f.Place(3, 1, Side.Sell, "10.5", "2");
        Assert.Equal([Amended, Filled], Types(f.Amend(2, 2, "10.5", "2")));
        Assert.False(f.Book.TryGetOrder(2, out _));
        Assert.Equal([Accepted], Types(f.Place(4, 2, Side.Buy, "1", "1", clientOrderId: 77)));
    }

    [Fact]
    public void Amend_should_refuse_bad_values_and_change_nothing()
    {
        var f = New();
        f.Place(1, 1, Side.Sell, "10", "1");
        f.Place(2, 2, Side.Buy, "9", "1", flags: OrderFlags.PostOnly);
        f.Place(3, 2, Side.Buy, "8", "1", flags: OrderFlags.ReduceOnly, position: "-3");
        var before = f.Book.StateHash();
        Assert.Equal(BookResult.PostOnlyWouldTake, f.Amend(2, 2, "10", "1").Single().Code);
        Assert.Equal(BookResult.ReduceOnlyWouldIncrease, f.Amend(3, 2, "8", "2").Single().Code);
        Assert.Equal(BookResult.InvalidPrice, f.Amend(2, 2, "9.05", "1").Single().Code);
        Assert.Equal(BookResult.InvalidPrice, f.Amend(2, 2, "0", "1").Single().Code);
        Assert.Equal(BookResult.InvalidQuantity, f.Amend(2, 2, "9", "0.15").Single().Code);
        Assert.Equal(BookResult.InvalidQuantity, f.Amend(2, 2, "9", "0").Single().Code);
        Assert.Equal(BookResult.NotOrderOwner, f.Amend(2, 1, "9", "1").Single().Code);
        Assert.Equal(BookResult.UnknownOrder, f.Amend(42, 2, "9", "1").Single().Code);
        Assert.Equal(before, f.Book.StateHash());
    }

    [Fact]
    public void Self_trade_prevention_should_cancel_the_resting_order()
    {
        var f = New();
        f.Place(1, 1, Side.Sell, "10", "1");
        f.Place(2, 2, Side.Sell, "10", "1");
        var events = f.Place(3, 1, Side.Buy, "10", "1", stp: SelfTradePrevention.CancelResting);
        Assert.Equal([Accepted, Canceled, Filled], Types(events));
        Assert.Equal((1UL, BookResult.CanceledBySelfTradePrevention), (events[1].OrderId, events[1].Code));
        Assert.Equal(2UL, events[2].MakerOrderId);
    }

    [Fact]
    public void Self_trade_prevention_should_cancel_the_incoming_order()
    {
        var f = New();
        f.Place(1, 2, Side.Sell, "10", "1");
        f.Place(2, 1, Side.Sell, "10", "1");
        var events = f.Place(3, 1, Side.Buy, "10", "3", stp: SelfTradePrevention.CancelIncoming);
        Assert.Equal([Accepted, Filled, Canceled], Types(events));
        Assert.Equal((3UL, Quantity.Parse("2")), (events[2].OrderId, events[2].Quantity));
        Assert.Equal([2UL], f.OrderIds(Side.Sell));
        Assert.Empty(f.OrderIds(Side.Buy));
    }

    [Fact]
    public void Self_trade_prevention_should_decrement_both_without_a_trade()
    {
        var f = New();
        f.Place(1, 1, Side.Sell, "10", "1");
        f.Place(2, 2, Side.Sell, "10", "1");
        var events = f.Place(3, 1, Side.Buy, "10", "3", stp: SelfTradePrevention.DecrementBoth);
        Assert.Equal([Accepted, Canceled, Canceled, Filled], Types(events));
        Assert.Equal((1UL, Quantity.Parse("1"), Quantity.Zero), (events[1].OrderId, events[1].Quantity, events[1].Remaining));
        Assert.Equal((3UL, Quantity.Parse("2")), (events[2].OrderId, events[2].Remaining));
        Assert.Equal(Quantity.Parse("1"), f.Book.Top.BidQuantity);
    }

    [Fact]
    public void Client_order_id_should_be_unique_among_the_accounts_live_orders()
    {
        var f = New();
        f.Place(1, 1, Side.Buy, "10", "1", clientOrderId: 5);
        Assert.Equal(BookResult.DuplicateClientOrderId, f.Place(2, 1, Side.Buy, "9", "1", clientOrderId: 5).Single().Code);
        Assert.Equal([Accepted], Types(f.Place(3, 2, Side.Buy, "9", "1", clientOrderId: 5)));
        f.Cancel(1, 1);
        Assert.Equal([Accepted], Types(f.Place(4, 1, Side.Buy, "9", "1", clientOrderId: 5)));
    }

    [Fact]
    public void Open_orders_should_be_capped_per_account()
    {
        var f = New();
        for (var i = 1UL; i <= 5; i++) f.Place(i, 1, Side.Buy, "9", "1");
        Assert.Equal(BookResult.TooManyOpenOrders, f.Place(6, 1, Side.Buy, "9", "1").Single().Code);
        Assert.Equal([Accepted, Expired], Types(f.Place(7, 1, Side.Buy, "8", "1", TimeInForce.ImmediateOrCancel)));
        Assert.Equal([Accepted], Types(f.Place(8, 2, Side.Buy, "9", "1")));
        Assert.Equal(5, f.Book.OpenOrders(1));
    }

    [Theory]
    [InlineData("10.05", "1", BookResult.InvalidPrice)]
    [InlineData("0", "1", BookResult.InvalidPrice)]
    [InlineData("-10", "1", BookResult.InvalidPrice)]
    [InlineData("10", "0", BookResult.InvalidQuantity)]
    [InlineData("10", "-1", BookResult.InvalidQuantity)]
    [InlineData("10", "0.25", BookResult.InvalidQuantity)]
    public void Malformed_order_should_be_refused_and_change_nothing(string price, string quantity, BookResult expected)
    {
        var f = New();
        f.Place(1, 1, Side.Sell, "10", "1");
        var before = f.Book.StateHash();
        Assert.Equal(expected, f.Place(2, 2, Side.Buy, price, quantity).Single().Code);
        Assert.Equal(before, f.Book.StateHash());
    }

    [Fact]
    public void Order_ids_should_be_nonzero_and_unique_in_the_book()
    {
        var f = New();
        Assert.Equal(BookResult.InvalidOrderId, f.Place(0, 1, Side.Buy, "10", "1").Single().Code);
        f.Place(1, 1, Side.Buy, "10", "1");
        Assert.Equal(BookResult.DuplicateOrderId, f.Place(1, 2, Side.Buy, "9", "1").Single().Code);
    }

    [Fact]
    public void Minimum_size_should_be_enforced_on_new_orders()
    {
        var f = new BookFixture(Create(InstrumentSpec.Create(Price.Parse("0.1"), Quantity.Parse("0.1"), Quantity.Parse("1"))));
        Assert.Equal(BookResult.BelowMinimumSize, f.Place(1, 1, Side.Buy, "10", "0.9").Single().Code);
        Assert.Equal([Accepted], Types(f.Place(2, 1, Side.Buy, "10", "1")));
    }

    [Fact]
    public void Equal_books_should_have_equal_state_hashes()
    {
        var a = New();
        var b = New();
        foreach (var f in new[] { a, b })
        {
            f.Place(1, 1, Side.Buy, "10", "1");
            f.Place(2, 2, Side.Sell, "11", "1");
        }
        Assert.Equal(a.Book.StateHash(), b.Book.StateHash());
        b.Amend(1, 1, "10", "0.5");
        Assert.NotEqual(a.Book.StateHash(), b.Book.StateHash());
    }
}

public sealed class ReferenceOrderBookTests : OrderBookContract
{
    protected override IOrderBook Create(InstrumentSpec spec) => new ReferenceOrderBook(spec);
}

public sealed class FastOrderBookTests : OrderBookContract
{
    protected override IOrderBook Create(InstrumentSpec spec) => new FastOrderBook(spec);
}
