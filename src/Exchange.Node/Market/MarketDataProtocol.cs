using Akka.Actor;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;

namespace Exchange.Node.Market;

/// <summary>Every message the market data actors take or answer.</summary>
public interface IMarketDataMessage;

/// <summary>What a subscriber to one instrument receives: book deltas, ticker updates, or the block's trades.</summary>
public enum MarketChannel : byte
{
    /// <summary>A <see cref="BookSnapshot"/> first, then a <see cref="BookDelta"/> for every block that changed the L2 view.</summary>
    Book = 1,
    /// <summary>A <see cref="TickerUpdate"/> now and after every block.</summary>
    Ticker = 2,
    /// <summary>A <see cref="TradesUpdate"/> for every block with fills.</summary>
    Trades = 3,
}

/// <summary>Every live instrument; answered by <see cref="InstrumentList"/>.</summary>
public sealed record GetInstruments : IMarketDataMessage
{
    public static readonly GetInstruments Instance = new();
}

/// <summary>The live instruments in name order, as of <see cref="Height"/>.</summary>
public sealed record InstrumentList(ulong Height, IReadOnlyList<InstrumentView> Instruments) : IMarketDataMessage;

/// <summary>The L2 book to <paramref name="Depth"/> levels a side (at most the read model's depth); answered by <see cref="BookSnapshot"/> or <see cref="MarketDataError"/>.</summary>
public sealed record GetBook(string Instrument, int Depth) : IMarketDataMessage;

/// <summary>
/// One book's L2 view: levels best first. <see cref="ChangeId"/> is the height of the block that last changed this
/// view; the next <see cref="BookDelta"/> names it as its <see cref="BookDelta.PreviousChangeId"/>.
/// </summary>
public sealed record BookSnapshot(string Instrument, ulong Height, long BlockTimeMs, ulong ChangeId,
    IReadOnlyList<PriceLevel> Bids, IReadOnlyList<PriceLevel> Asks) : IMarketDataMessage;

public enum LevelAction : byte { New = 1, Change = 2, Delete = 3 }

/// <summary>One level of a delta: its new size and order count (zero for <see cref="LevelAction.Delete"/>).</summary>
public readonly record struct LevelChange(LevelAction Action, Price Price, Quantity Quantity, int Orders);

/// <summary>
/// What one block changed in a book's L2 view (to the read model's depth). Change ids are block heights: a client
/// that holds <see cref="PreviousChangeId"/> applies this and holds <see cref="ChangeId"/>; any other id means it
/// missed a delta and must take a new <see cref="BookSnapshot"/>. Deribit's change_id/prev_change_id work the same way.
/// </summary>
public sealed record BookDelta(string Instrument, ulong Height, long BlockTimeMs, ulong PreviousChangeId, ulong ChangeId,
    IReadOnlyList<LevelChange> Bids, IReadOnlyList<LevelChange> Asks) : IMarketDataMessage;

/// <summary>The instrument's ticker; answered by <see cref="Ticker"/> or <see cref="MarketDataError"/>.</summary>
public sealed record GetTicker(string Instrument) : IMarketDataMessage;

/// <summary>
/// Black–Scholes greeks at the mark, per contract: delta in units of the underlying, gamma per USD of index, vega in
/// USD per one volatility point, theta in USD per calendar day. <see cref="MarkIv"/> is the implied volatility that
/// reprices the mark (0.55 = 55%), null when none above zero does (a mark at or below intrinsic value, or at expiry); the greeks then
/// use the oracle's implied volatility. Display figures: nothing in state reads them.
/// </summary>
public sealed record OptionGreeks(double Delta, double Gamma, double Vega, double Theta, double? MarkIv);

/// <summary>
/// An instrument's ticker after block <see cref="Height"/>: best bid and ask with sizes (null when a side is empty),
/// the last trade, mark and index, volume, high and low over the trailing window of block time, and the greeks.
/// </summary>
public sealed record Ticker(
    string Instrument,
    ulong Height,
    long BlockTimeMs,
    Price? BestBid,
    Quantity BestBidSize,
    Price? BestAsk,
    Quantity BestAskSize,
    Price? LastPrice,
    Quantity LastSize,
    Price Mark,
    Price Index,
    bool IndexFresh,
    double IndexImpliedVol,
    Quantity Volume24h,
    Price? High24h,
    Price? Low24h,
    OptionGreeks? Greeks) : IMarketDataMessage;

/// <summary>A subscriber's ticker after a block.</summary>
public sealed record TickerUpdate(Ticker Ticker) : IMarketDataMessage;

/// <summary>A block's fills in one instrument, in block order.</summary>
public sealed record TradesUpdate(string Instrument, ulong Height, long BlockTimeMs, IReadOnlyList<TradeView> Trades) : IMarketDataMessage;

/// <summary>Sends <paramref name="Channel"/> of an instrument to <paramref name="Subscriber"/> until it unsubscribes or stops; the sender gets <see cref="Subscribed"/>.</summary>
public sealed record Subscribe(string Instrument, MarketChannel Channel, IActorRef Subscriber) : IMarketDataMessage;

public sealed record Unsubscribe(string Instrument, MarketChannel Channel, IActorRef Subscriber) : IMarketDataMessage;

public sealed record Subscribed(string Instrument, MarketChannel Channel) : IMarketDataMessage;

public sealed record Unsubscribed(string Instrument, MarketChannel Channel) : IMarketDataMessage;

/// <summary>Sent to every subscriber of an instrument when it settles (or was found settled); no more updates follow.</summary>
public sealed record InstrumentClosed(string Instrument, ulong Height, Price? SettlementPrice) : IMarketDataMessage;

public enum MarketDataErrorCode : byte
{
    /// <summary>No such instrument was ever listed (as far as this node has seen).</summary>
    UnknownInstrument = 1,
    /// <summary>The instrument has expired and settled; it has no book any more.</summary>
    InstrumentSettled = 2,
    /// <summary>A book depth below 1.</summary>
    InvalidDepth = 3,
    /// <summary>The instrument is listed but this node has not received its book yet (the read side started after the ledger).</summary>
    NotReady = 4,
    /// <summary>A channel this read side does not serve.</summary>
    InvalidChannel = 5,
}

/// <summary>Why a market data request was refused, in words a client can act on.</summary>
public sealed record MarketDataError(string Instrument, MarketDataErrorCode Code, string Message) : IMarketDataMessage;
