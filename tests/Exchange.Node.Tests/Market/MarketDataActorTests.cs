using Akka.Actor;
using Akka.TestKit.Xunit2;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;
using Exchange.Core.State;
using Exchange.Node.Market;
using static Exchange.Node.Tests.Market.ChainFixture;

namespace Exchange.Node.Tests.Market;

/// <summary>The market data actors fed, as the ledger would feed them, with views extracted from a real state after each block.</summary>
public class MarketDataActorTests : TestKit
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);
    private readonly ChainFixture _f = new();
    private readonly ReadModelExtractor _extractor = new(ReadModelSettings.Default);
    private readonly IActorRef _market;

    public MarketDataActorTests()
    {
        _market = Sys.ActorOf(MarketDataActor.Props(ReadModelSettings.Default, subscribeToEventStream: false), "market");
        _market.Tell(_extractor.Current(_f.State));
    }

    /// <summary>Hands the market data actor the views after a block, as the ledger publishes them.</summary>
    private BlockResult Publish(BlockResult block)
    {
        _market.Tell(_extractor.Next(_f.State, block.Events));
        return block;
    }

    private T Ask<T>(object query) => _market.Ask<T>(query, TimeSpan.FromSeconds(3)).GetAwaiter().GetResult();

    private BlockResult Trade() => Publish(_f.Block(_f.Tx(Alice, Limit(Call, Side.Buy, "3100", "1"))));

    [Fact]
    public void Book_should_be_the_matching_engines_L2_to_the_depth_asked()
    {
        var quoted = Publish(_f.QuoteAroundTheMoney());

        var book = Ask<BookSnapshot>(new GetBook(Call, 10));
        var (bids, asks) = _f.Levels(Call, 10);
        Assert.Equal(bids, book.Bids);
        Assert.Equal(asks, book.Asks);
        Assert.Equal(2, book.Bids.Count);
        Assert.Equal(_f.State.Height, book.ChangeId);
        Assert.Equal(quoted.State.Height, book.Height);

        var top = Ask<BookSnapshot>(new GetBook(Call, 1));
        Assert.Equal([bids[0]], top.Bids);
        Assert.Equal([asks[0]], top.Asks);
        Assert.Empty(Ask<BookSnapshot>(new GetBook(OtherCall, 5)).Bids);
    }

    [Fact]
    public void Book_subscriber_should_get_a_snapshot_then_deltas_numbered_by_height_that_rebuild_the_book()
    {
        Publish(_f.QuoteAroundTheMoney());
        var client = CreateTestProbe();
        _market.Tell(new Subscribe(Call, MarketChannel.Book, client.Ref));
        ExpectMsg(new Subscribed(Call, MarketChannel.Book));
        var snapshot = client.ExpectMsg<BookSnapshot>();

        Trade();
        var delta = client.ExpectMsg<BookDelta>();
        Assert.Equal(snapshot.ChangeId, delta.PreviousChangeId);
        Assert.Equal(_f.State.Height, delta.ChangeId);
        var (bids, asks) = _f.Levels(Call, ReadModelSettings.Default.BookDepth);
        Assert.Equal(bids, BookDiff.Apply(Side.Buy, snapshot.Bids, delta.Bids));
        Assert.Equal(asks, BookDiff.Apply(Side.Sell, snapshot.Asks, delta.Asks));

        // A block that leaves this book alone sends nothing; the next change names the last one.
        Publish(_f.Block(_f.Tx(Bob, Limit(Put, Side.Buy, "2700", "1"))));
        client.ExpectNoMsg(Quiet);
        Publish(_f.Block(_f.Tx(Bob, Limit(Call, Side.Buy, "2950", "1"))));
        var next = client.ExpectMsg<BookDelta>();
        Assert.Equal(delta.ChangeId, next.PreviousChangeId);
        Assert.Equal([new LevelChange(LevelAction.New, Price.Parse("2950"), Quantity.Parse("1"), 1)], next.Bids);
        Assert.Empty(next.Asks);
    }

    [Fact]
    public void Ticker_should_show_top_of_book_last_trade_mark_index_volume_and_sane_greeks()
    {
        Publish(_f.QuoteAroundTheMoney());
        Trade();

        var ticker = Ask<Ticker>(new GetTicker(Call));

        Assert.Equal(_f.State.Height, ticker.Height);
        Assert.Equal((Price.Parse("2900"), Quantity.Parse("2")), (ticker.BestBid!.Value, ticker.BestBidSize));
        Assert.Equal((Price.Parse("3100"), Quantity.Parse("1")), (ticker.BestAsk!.Value, ticker.BestAskSize));
        Assert.Equal((Price.Parse("3100"), Quantity.Parse("1")), (ticker.LastPrice!.Value, ticker.LastSize));
        Assert.Equal(_f.Instrument(Call).Mark, ticker.Mark.Raw);
        Assert.Equal(Price.FromWhole(100_000), ticker.Index);
        Assert.True(ticker.IndexFresh);
        Assert.Equal(0.55, ticker.IndexImpliedVol);
        Assert.Equal(Quantity.Parse("1"), ticker.Volume24h);
        Assert.Equal((Price.Parse("3100"), Price.Parse("3100")), (ticker.High24h!.Value, ticker.Low24h!.Value));
        var greeks = ticker.Greeks!;
        Assert.InRange(greeks.Delta, 0.4, 0.6);   // at the money
        Assert.True(greeks.Gamma > 0 && greeks.Vega > 0 && greeks.Theta < 0);
        Assert.InRange(greeks.MarkIv!.Value, 0.3, 0.9);

        var empty = Ask<Ticker>(new GetTicker(OtherCall));
        Assert.Null(empty.BestBid);
        Assert.Null(empty.LastPrice);
        Assert.Equal(Quantity.Zero, empty.Volume24h);
        Assert.InRange(empty.Greeks!.Delta, 0.0, 0.5);   // out of the money
    }

    [Fact]
    public void Ticker_and_trades_subscribers_should_hear_after_every_block_until_they_unsubscribe()
    {
        Publish(_f.QuoteAroundTheMoney());
        var client = CreateTestProbe();
        _market.Tell(new Subscribe(Call, MarketChannel.Ticker, client.Ref));
        ExpectMsg(new Subscribed(Call, MarketChannel.Ticker));
        _market.Tell(new Subscribe(Call, MarketChannel.Trades, client.Ref));
        ExpectMsg(new Subscribed(Call, MarketChannel.Trades));
        Assert.Equal(_f.State.Height, client.ExpectMsg<TickerUpdate>().Ticker.Height);

        Trade();
        var trades = client.ExpectMsg<TradesUpdate>();
        Assert.Equal((Call, _f.State.Height, Alice.PublicKey, Price.Parse("3100")), (trades.Instrument, trades.Height, trades.Trades.Single().Taker, trades.Trades.Single().Price));
        Assert.Equal(Price.Parse("3100"), client.ExpectMsg<TickerUpdate>().Ticker.LastPrice);
        Publish(_f.Block());
        Assert.Equal(_f.State.Height, client.ExpectMsg<TickerUpdate>().Ticker.Height);

        _market.Tell(new Unsubscribe(Call, MarketChannel.Ticker, client.Ref));
        ExpectMsg(new Unsubscribed(Call, MarketChannel.Ticker));
        Publish(_f.Block());
        client.ExpectNoMsg(Quiet);
        Publish(_f.Block(_f.Tx(Alice, Limit(Call, Side.Buy, "3200", "1"))));
        client.ExpectMsg<TradesUpdate>();
        client.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task Subscriber_that_stops_should_be_dropped()
    {
        var client = CreateTestProbe();
        _market.Tell(new Subscribe(Call, MarketChannel.Book, client.Ref));
        _market.Tell(new Subscribe(Call, MarketChannel.Ticker, client.Ref));
        _market.Tell(new Subscribe(Put, MarketChannel.Ticker, client.Ref));
        ReceiveN(3);
        var call = Sys.ActorSelection(_market.Path / Call);
        var put = Sys.ActorSelection(_market.Path / Put);
        Assert.Equal(1, await call.Ask<int>(CountSubscribers.Instance, TimeSpan.FromSeconds(3)));

        Sys.Stop(client.Ref);

        await AwaitAssertAsync(async () => Assert.Equal(0, await call.Ask<int>(CountSubscribers.Instance, TimeSpan.FromSeconds(3))));
        await AwaitAssertAsync(async () => Assert.Equal(0, await put.Ask<int>(CountSubscribers.Instance, TimeSpan.FromSeconds(3))));
    }

    [Fact]
    public void Unknown_instrument_or_bad_request_should_get_a_clear_error()
    {
        var unknown = Ask<MarketDataError>(new GetBook("BTC-1JAN27-1-C", 10));
        Assert.Equal(MarketDataErrorCode.UnknownInstrument, unknown.Code);
        Assert.Contains("BTC-1JAN27-1-C", unknown.Message);
        Assert.Equal(MarketDataErrorCode.UnknownInstrument, Ask<MarketDataError>(new GetTicker("nonsense")).Code);
        Assert.Equal(MarketDataErrorCode.UnknownInstrument, Ask<MarketDataError>(new Subscribe("nonsense", MarketChannel.Book, TestActor)).Code);
        Assert.Equal(MarketDataErrorCode.InvalidDepth, Ask<MarketDataError>(new GetBook(Call, 0)).Code);
        Assert.Equal(MarketDataErrorCode.InvalidChannel, Ask<MarketDataError>(new Subscribe(Call, (MarketChannel)9, TestActor)).Code);
    }

    [Fact]
    public void Settled_instrument_should_close_its_subscriptions_and_answer_with_its_settlement()
    {
        var client = CreateTestProbe();
        _market.Tell(new Subscribe(Call, MarketChannel.Book, client.Ref));
        ExpectMsg<Subscribed>();
        client.ExpectMsg<BookSnapshot>();
        for (var t = ExpiryMs - 31 * 60_000; t < ExpiryMs; t += 60_000) Publish(_f.BlockWithIndex(t, "104000"));
        Publish(_f.BlockWithIndex(ExpiryMs, "104000"));

        var closed = client.ExpectMsg<InstrumentClosed>();
        Assert.Equal((Call, _f.State.Height, (Price?)Price.FromWhole(104_000)), (closed.Instrument, closed.Height, closed.SettlementPrice));
        var error = Ask<MarketDataError>(new GetBook(Call, 10));
        Assert.Equal(MarketDataErrorCode.InstrumentSettled, error.Code);
        Assert.Contains("104000", error.Message);
        Assert.Empty(Ask<InstrumentList>(GetInstruments.Instance).Instruments);
        _market.Tell(new Unsubscribe(Call, MarketChannel.Book, client.Ref));
        ExpectMsg(new Unsubscribed(Call, MarketChannel.Book));
    }

    [Fact]
    public void Listed_instrument_should_get_its_own_book_actor()
    {
        Assert.Equal(_f.State.Instruments.Select(i => i.Name).Order(StringComparer.Ordinal),
            Ask<InstrumentList>(GetInstruments.Instance).Instruments.Select(i => i.Name));
        Publish(_f.Block(_f.Tx(Authority,
            new ListInstrument("BTC", ExpiryMs / 1000, Price.FromWhole(110_000), OptionKind.Put, Price.Parse("0.5"), Quantity.Parse("1"), Quantity.Parse("1")))));

        Assert.Contains(Ask<InstrumentList>(GetInstruments.Instance).Instruments, i => i.Name == "BTC-27NOV26-110000-P");
        var book = Ask<BookSnapshot>(new GetBook("BTC-27NOV26-110000-P", 10));
        Assert.Empty(book.Bids);
        Assert.Equal(_f.State.Height, book.ChangeId);
    }

    [Fact]
    public void Book_not_yet_seen_should_be_reported_not_ready_until_a_view_brings_it()
    {
        var late = Sys.ActorOf(MarketDataActor.Props(ReadModelSettings.Default, subscribeToEventStream: false));
        var quoted = _f.Block(_f.Tx(Bob, Limit(Call, Side.Buy, "2900", "1")));
        late.Tell(ReadModel.Extract(_f.State, quoted.Events, ReadModelSettings.Default, full: false));

        late.Tell(new GetBook(Put, 5));
        Assert.Equal(MarketDataErrorCode.NotReady, ExpectMsg<MarketDataError>().Code);
        late.Tell(new GetBook(Call, 5));
        Assert.Single(ExpectMsg<BookSnapshot>().Bids);

        late.Tell(ReadModel.Snapshot(_f.State, ReadModelSettings.Default));
        late.Tell(new GetBook(Put, 5));
        ExpectMsg<BookSnapshot>();
    }

    [Fact]
    public async Task Read_side_should_ask_the_ledger_for_a_full_view_and_take_views_from_the_event_stream()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(ReadSideResyncRequested));
        var market = Sys.ActorOf(MarketDataActor.Props(ReadModelSettings.Default));
        var margin = Sys.ActorOf(MarginEngineActor.Props());
        ExpectMsg<ReadSideResyncRequested>();
        ExpectMsg<ReadSideResyncRequested>();

        // What the ledger does on that request and after each block.
        var ledger = new ReadModelExtractor(ReadModelSettings.Default);
        Sys.EventStream.Publish(ledger.Current(_f.State));
        _f.QuoteAroundTheMoney();
        var traded = _f.Block(_f.Tx(Alice, Limit(Call, Side.Buy, "3100", "1")));
        Sys.EventStream.Publish(ledger.Next(_f.State, traded.Events));

        await AwaitAssertAsync(async () => Assert.Equal(_f.State.Height, (await market.Ask<BookSnapshot>(new GetBook(Call, 5), TimeSpan.FromSeconds(3))).Height));
        var alice = await margin.Ask<AccountRisk>(new GetAccountRisk(Alice.PublicKey), TimeSpan.FromSeconds(3));
        RiskAssert.MatchesState(_f, alice);
    }
}
