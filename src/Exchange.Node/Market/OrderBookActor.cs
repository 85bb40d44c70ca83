using Akka.Actor;
using Exchange.Core.Ledger;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;

namespace Exchange.Node.Market;

/// <summary>What the market data actor hands one instrument's actor after each block.</summary>
internal sealed record InstrumentBlock(
    ulong Height, long BlockTimeMs, long RiskFreeRateMicros, InstrumentView Instrument, IndexView? Index, BookView? Book, IReadOnlyList<TradeView> Trades);

/// <summary>How many actors subscribe to anything here; answered with an int (tests and diagnostics).</summary>
internal sealed record CountSubscribers
{
    public static readonly CountSubscribers Instance = new();
}

/// <summary>Tells an instrument's actor that its instrument is gone (settled while this node was not looking): close and stop.</summary>
internal sealed record CloseInstrument(ulong Height, Price? SettlementPrice);

/// <summary>
/// The live read side of one instrument: its L2 book, last trades, ticker and greeks after each block, for queries
/// and subscribers. A child of <see cref="MarketDataActor"/>, which routes to it by instrument name. It holds only
/// immutable views taken from the state by the ledger, so nothing here can disturb or see a half-applied block.
/// Book deltas are computed here, by comparing the book's new L2 view with the one before.
/// </summary>
public sealed class OrderBookActor : ReceiveActor
{
    public static Props Props(ReadModelSettings settings, string instrument) => Akka.Actor.Props.Create(() => new OrderBookActor(settings, instrument));

    private readonly ReadModelSettings _settings;
    private readonly string _name;
    private readonly Dictionary<IActorRef, Channels> _subscribers = [];
    private readonly TradeWindow _window;
    private InstrumentBlock? _last;
    private BookView? _book;
    private ulong _changeId;
    private TradeView? _lastTrade;
    private Ticker? _ticker;

    [Flags]
    private enum Channels : byte { None = 0, Book = 1, Ticker = 2, Trades = 4 }

    public OrderBookActor(ReadModelSettings settings, string instrument)
    {
        _settings = settings;
        _name = instrument;
        _window = new TradeWindow(settings.TickerWindow, settings.TickerBucket);

        Receive<InstrumentBlock>(OnBlock);
        Receive<CloseInstrument>(c => Close(c.Height, c.SettlementPrice));
        Receive<GetBook>(q => Sender.Tell(_book is null ? NotReady() : Snapshot(q.Depth)));
        Receive<GetTicker>(_ => Sender.Tell(CurrentTicker() is { } t ? t : NotReady()));
        Receive<Subscribe>(OnSubscribe);
        Receive<Unsubscribe>(OnUnsubscribe);
        Receive<Terminated>(t => _subscribers.Remove(t.ActorRef));
        Receive<CountSubscribers>(_ => Sender.Tell(_subscribers.Count));
    }

    private void OnBlock(InstrumentBlock block)
    {
        _last = block;
        _ticker = null;
        if (block.Book is { } book) UpdateBook(block, book);
        if (block.Trades.Count > 0)
        {
            foreach (var t in block.Trades) _window.Add(block.BlockTimeMs, t.Price, t.Quantity);
            _lastTrade = block.Trades[^1];
            Publish(Channels.Trades, new TradesUpdate(_name, block.Height, block.BlockTimeMs, block.Trades));
        }
        if (HasSubscribers(Channels.Ticker) && CurrentTicker() is { } ticker) Publish(Channels.Ticker, new TickerUpdate(ticker));
        if (block.Instrument.Settled) Close(block.Height, block.Instrument.SettlementPrice);
    }

    private void UpdateBook(InstrumentBlock block, BookView book)
    {
        var before = _book;
        _book = book;
        if (before is null)
        {
            _changeId = block.Height;
            Publish(Channels.Book, Snapshot(_settings.BookDepth));
            return;
        }
        var bids = BookDiff.Compute(Side.Buy, before.Bids, book.Bids);
        var asks = BookDiff.Compute(Side.Sell, before.Asks, book.Asks);
        if (bids.Length == 0 && asks.Length == 0) return;
        var previous = _changeId;
        _changeId = block.Height;
        Publish(Channels.Book, new BookDelta(_name, block.Height, block.BlockTimeMs, previous, _changeId, bids, asks));
    }

    private BookSnapshot Snapshot(int depth)
    {
        var book = _book!;
        var n = Math.Min(depth, _settings.BookDepth);
        return new BookSnapshot(_name, _last!.Height, _last.BlockTimeMs, _changeId, book.Bids.Take(n).ToArray(), book.Asks.Take(n).ToArray());
    }

    /// <summary>The ticker of the last block, computed when first asked for (greeks need an implied-volatility search).</summary>
    private Ticker? CurrentTicker()
    {
        if (_ticker is not null || _last is null || _book is null) return _ticker;
        var b = _last;
        var index = b.Index;
        var (volume, high, low) = _window.At(b.BlockTimeMs);
        var greeks = index is null ? null : MarkGreeks.Compute(b.Instrument, index, b.BlockTimeMs, b.RiskFreeRateMicros);
        PriceLevel? bid = _book.Bids.Count > 0 ? _book.Bids[0] : null;
        PriceLevel? ask = _book.Asks.Count > 0 ? _book.Asks[0] : null;
        return _ticker = new Ticker(_name, b.Height, b.BlockTimeMs,
            bid?.Price, bid?.Quantity ?? Quantity.Zero, ask?.Price, ask?.Quantity ?? Quantity.Zero,
            _lastTrade?.Price, _lastTrade?.Quantity ?? Quantity.Zero,
            b.Instrument.Mark, index?.Price ?? Price.Zero, index?.Fresh ?? false, (index?.ImpliedVolMicros ?? 0) / 1e6,
            volume, high, low, greeks);
    }

    private void OnSubscribe(Subscribe s)
    {
        var channel = ChannelOf(s.Channel);
        if (channel == Channels.None)
        {
            Sender.Tell(new MarketDataError(_name, MarketDataErrorCode.InvalidChannel, $"no channel {s.Channel}: book, ticker or trades"));
            return;
        }
        var had = _subscribers.GetValueOrDefault(s.Subscriber);
        if (had == Channels.None) Context.Watch(s.Subscriber);
        _subscribers[s.Subscriber] = had | channel;
        Sender.Tell(new Subscribed(_name, s.Channel));
        // The first message of a channel is the current state; until the book arrives it comes with the first block.
        if ((had & channel) != 0) return;
        if (channel == Channels.Book && _book is not null) s.Subscriber.Tell(Snapshot(_settings.BookDepth));
        if (channel == Channels.Ticker && CurrentTicker() is { } ticker) s.Subscriber.Tell(new TickerUpdate(ticker));
    }

    private void OnUnsubscribe(Unsubscribe u)
    {
        if (_subscribers.TryGetValue(u.Subscriber, out var had))
        {
            var left = had & ~ChannelOf(u.Channel);
            if (left == Channels.None)
            {
                _subscribers.Remove(u.Subscriber);
                Context.Unwatch(u.Subscriber);
            }
            else _subscribers[u.Subscriber] = left;
        }
        Sender.Tell(new Unsubscribed(_name, u.Channel));
    }

    private void Close(ulong height, Price? settlementPrice)
    {
        var closed = new InstrumentClosed(_name, height, settlementPrice);
        foreach (var subscriber in _subscribers.Keys) subscriber.Tell(closed);
        _subscribers.Clear();
        Context.Stop(Self);
    }

    private bool HasSubscribers(Channels channel) => _subscribers.Values.Any(c => (c & channel) != 0);

    private void Publish(Channels channel, object message)
    {
        foreach (var (subscriber, channels) in _subscribers)
            if ((channels & channel) != 0) subscriber.Tell(message);
    }

    private MarketDataError NotReady() => new(_name, MarketDataErrorCode.NotReady,
        $"{_name} is listed but this node has not received its book yet; ask again after the next block");

    private static Channels ChannelOf(MarketChannel channel) => channel switch
    {
        MarketChannel.Book => Channels.Book,
        MarketChannel.Ticker => Channels.Ticker,
        MarketChannel.Trades => Channels.Trades,
        _ => Channels.None,
    };
}
