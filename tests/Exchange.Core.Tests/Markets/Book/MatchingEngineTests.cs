using Exchange.Core.Ledger;
using Exchange.Core.Markets;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;

namespace Exchange.Core.Tests.Markets.Book;

public class MatchingEngineTests
{
    private static readonly string[] Names = ["BTC-27DEC26-100000-C", "BTC-27DEC26-100000-P", "ETH-27DEC26-4000-C"];

    private static MatchingEngine NewEngine(Func<InstrumentSpec, IOrderBook>? create = null)
    {
        var engine = create is null ? MatchingEngine.CreateFast() : new MatchingEngine(create);
        foreach (var name in Names) Assert.True(engine.List(new Instrument(OptionSeries.Parse(name), BookFixture.Spec)));
        return engine;
    }

    private static PlaceCommand Limit(ulong id, uint account, Side side, string price, string quantity = "1") =>
        new(id, account, side, OrderType.Limit, TimeInForce.GoodTilCancelled, OrderFlags.None, Price.Parse(price), Quantity.Parse(quantity));

    private static List<BookEvent> Run(MatchingEngine engine, Action<BookEvents> command)
    {
        var events = new BookEvents();
        command(events);
        engine.ValidateInternalState();
        return events.ToList();
    }

    [Fact]
    public void Order_on_an_unlisted_instrument_should_be_refused()
    {
        var engine = NewEngine();
        var e = Run(engine, ev => engine.Place("BTC-27DEC26-1-C", Limit(1, 1, Side.Buy, "10"), ev)).Single();
        Assert.Equal(BookResult.UnknownInstrument, e.Code);
        Assert.False(engine.List(new Instrument(OptionSeries.Parse(Names[0]), BookFixture.Spec)));
    }

    [Fact]
    public void Cancel_and_amend_should_find_the_order_by_id_alone()
    {
        var engine = NewEngine();
        Run(engine, ev => engine.Place(Names[2], Limit(7, 1, Side.Buy, "10"), ev));
        Assert.Equal(BookEventType.Amended, Run(engine, ev => engine.Amend(7, 1, Price.Parse("11"), Quantity.Parse("1"), ev)).Single().Type);
        Assert.Equal(BookEventType.Canceled, Run(engine, ev => engine.Cancel(7, 1, ev)).Single().Type);
        Assert.Equal(BookResult.UnknownOrder, Run(engine, ev => engine.Cancel(7, 1, ev)).Single().Code);
        Assert.Equal(BookResult.UnknownOrder, Run(engine, ev => engine.Amend(7, 1, Price.Parse("11"), Quantity.Parse("1"), ev)).Single().Code);
    }

    [Fact]
    public void Order_id_should_be_unique_across_instruments()
    {
        var engine = NewEngine();
        Run(engine, ev => engine.Place(Names[0], Limit(7, 1, Side.Buy, "10"), ev));
        Assert.Equal(BookResult.DuplicateOrderId, Run(engine, ev => engine.Place(Names[1], Limit(7, 2, Side.Buy, "10"), ev)).Single().Code);
    }

    [Fact]
    public void Cancel_all_should_cover_every_instrument_in_name_order_or_just_the_one_named()
    {
        var engine = NewEngine();
        Run(engine, ev => engine.Place(Names[2], Limit(1, 1, Side.Buy, "10"), ev));
        Run(engine, ev => engine.Place(Names[0], Limit(2, 1, Side.Buy, "10"), ev));
        Run(engine, ev => engine.Place(Names[1], Limit(3, 1, Side.Buy, "10"), ev));
        Run(engine, ev => engine.Place(Names[1], Limit(4, 2, Side.Buy, "10"), ev));
        Assert.Equal([3UL], Run(engine, ev => engine.CancelAll(1, Names[1], ev)).Select(e => e.OrderId));
        Assert.Equal([2UL, 1], Run(engine, ev => engine.CancelAll(1, null, ev)).Select(e => e.OrderId));
        Assert.Equal(BookResult.UnknownInstrument, Run(engine, ev => engine.CancelAll(1, "XRP-27DEC26-1-C", ev)).Single().Code);
        Assert.Equal(1, engine.RestingOrders);
    }

    [Fact]
    public void Delisting_should_cancel_what_rests_and_remove_the_book()
    {
        var engine = NewEngine();
        Run(engine, ev => engine.Place(Names[0], Limit(1, 2, Side.Buy, "10"), ev));
        Run(engine, ev => engine.Place(Names[0], Limit(2, 1, Side.Sell, "11"), ev));
        var events = Run(engine, ev => Assert.True(engine.Delist(Names[0], ev)));
        Assert.Equal([2UL, 1], events.Select(e => e.OrderId));
        Assert.DoesNotContain(Names[0], engine.Instruments);
        Assert.Equal(0, engine.RestingOrders);
    }

    [Fact]
    public void Engines_over_fast_and_reference_books_should_agree_on_a_generated_stream_across_instruments()
    {
        const ulong seed = 99;
        var fast = NewEngine();
        var reference = NewEngine(spec => new ReferenceOrderBook(spec));
        var generator = new BookCommandGenerator(seed);
        var pick = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var command = generator.Next();
            var instrument = Names[pick++ % Names.Length];
            var a = Run(fast, ev => Route(fast, command, instrument, ev));
            var b = Run(reference, ev => Route(reference, command, instrument, ev));
            Assert.True(a.SequenceEqual(b), $"seed {seed}, command {i} {command}");
        }
        Assert.Equal(reference.StateHash(), fast.StateHash());
        Assert.True(fast.RestingOrders > 0);
    }

    private static void Route(MatchingEngine engine, BookCommand command, string instrument, BookEvents events)
    {
        switch (command)
        {
            case BookCommand.Place p: engine.Place(instrument, p.Command, events); break;
            case BookCommand.Cancel c: engine.Cancel(c.OrderId, c.Account, events); break;
            case BookCommand.Amend a: engine.Amend(a.OrderId, a.Account, a.Price, a.Quantity, events); break;
            case BookCommand.CancelAll c: engine.CancelAll(c.Account, null, events); break;
            default: throw new InvalidOperationException($"unknown command {command}");
        }
    }

    [Fact]
    public void Order_ids_should_derive_from_height_and_index_and_grow_with_time()
    {
        Assert.Equal((42UL, 17), OrderIds.Split(OrderIds.For(42, 17)));
        Assert.True(OrderIds.For(42, Block.MaxTransactions - 1) < OrderIds.For(43, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderIds.For(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderIds.For(1, Block.MaxTransactions));
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderIds.For(1, -1));
    }
}
