using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;

namespace Exchange.Core.Markets;

/// <summary>
/// Every listed instrument's book, addressed by name, plus the index from order id to book so a
/// cancel or amend needs only the id. Instruments are kept in name order, so anything that walks
/// them (cancel-all, the state hash) does so identically on every node.
/// </summary>
public sealed class MatchingEngine(Func<InstrumentSpec, IOrderBook> createBook)
{
    private readonly SortedDictionary<string, IOrderBook> _books = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, IOrderBook> _bookOfOrder = new();

    public static MatchingEngine CreateFast() => new(spec => new FastOrderBook(spec));

    public IReadOnlyCollection<string> Instruments => _books.Keys;

    public bool TryGetBook(string instrument, out IOrderBook book) => _books.TryGetValue(instrument, out book!);

    /// <summary>Adds an instrument's book; false when it is listed already.</summary>
    public bool List(Instrument instrument)
    {
        if (_books.ContainsKey(instrument.Name)) return false;
        _books.Add(instrument.Name, createBook(instrument.Spec));
        return true;
    }

    public void Place(string instrument, in PlaceCommand command, BookEvents events)
    {
        if (!_books.TryGetValue(instrument, out var book))
        {
            events.Rejected(command.OrderId, command.Account, command.Side, BookResult.UnknownInstrument);
            return;
        }
        if (_bookOfOrder.ContainsKey(command.OrderId))
        {
            events.Rejected(command.OrderId, command.Account, command.Side, BookResult.DuplicateOrderId);
            return;
        }
        var first = events.Count;
        book.Place(command, events);
        Track(book, events, first);
    }

    public void Cancel(ulong orderId, uint account, BookEvents events)
    {
        if (!_bookOfOrder.TryGetValue(orderId, out var book))
        {
            events.Rejected(orderId, account, default, BookResult.UnknownOrder);
            return;
        }
        var first = events.Count;
        book.Cancel(orderId, account, events);
        Track(book, events, first);
    }

    public void Amend(ulong orderId, uint account, Price price, Quantity quantity, BookEvents events)
    {
        if (!_bookOfOrder.TryGetValue(orderId, out var book))
        {
            events.Rejected(orderId, account, default, BookResult.UnknownOrder);
            return;
        }
        var first = events.Count;
        book.Amend(orderId, account, price, quantity, events);
        Track(book, events, first);
    }

    /// <summary>Cancels the account's orders in one instrument, or in every instrument (in name order) when none is named.</summary>
    public void CancelAll(uint account, string? instrument, BookEvents events)
    {
        if (instrument is not null)
        {
            if (!_books.TryGetValue(instrument, out var only))
            {
                events.Rejected(0, account, default, BookResult.UnknownInstrument);
                return;
            }
            CancelAllIn(only, account, events);
            return;
        }
        foreach (var book in _books.Values) CancelAllIn(book, account, events);
    }

    private void CancelAllIn(IOrderBook book, uint account, BookEvents events)
    {
        if (book.OpenOrders(account) == 0) return;
        var first = events.Count;
        book.CancelAll(account, events);
        Track(book, events, first);
    }

    /// <summary>Indexes every order of a book restored from a snapshot.</summary>
    public void Reindex(string instrument)
    {
        var book = _books[instrument];
        foreach (var o in book.Orders(Ledger.Side.Buy).Concat(book.Orders(Ledger.Side.Sell))) _bookOfOrder[o.OrderId] = book;
    }

    /// <summary>Removes an expired or delisted instrument, canceling what rests in it first.</summary>
    public bool Delist(string instrument, BookEvents events)
    {
        if (!_books.TryGetValue(instrument, out var book)) return false;
        foreach (var account in book.Orders(Ledger.Side.Buy).Concat(book.Orders(Ledger.Side.Sell)).Select(o => o.Account).Distinct().Order())
            CancelAllIn(book, account, events);
        _books.Remove(instrument);
        return true;
    }

    /// <summary>Keeps the order-to-book index in step with what one command did to resting orders.</summary>
    private void Track(IOrderBook book, BookEvents events, int first)
    {
        var span = events.Span;
        ulong own = 0;
        for (var i = first; i < span.Length; i++)
        {
            ref readonly var e = ref span[i];
            switch (e.Type)
            {
                case BookEventType.Accepted:
                case BookEventType.Amended:
                    own = e.OrderId;
                    break;
                case BookEventType.Filled when !e.Remaining.IsPositive:
                    _bookOfOrder.Remove(e.MakerOrderId);
                    break;
                case BookEventType.Canceled when !e.Remaining.IsPositive:
                    _bookOfOrder.Remove(e.OrderId);
                    break;
                case BookEventType.Filled:
                case BookEventType.Canceled:
                case BookEventType.Rejected:
                case BookEventType.Expired:
                    break;
                default:
                    throw new InvalidOperationException($"unknown book event {e.Type}");
            }
        }
        // The command's own order (new or amended) is indexed exactly when it ended up resting.
        if (own == 0) return;
        if (book.TryGetOrder(own, out _)) _bookOfOrder[own] = book;
        else _bookOfOrder.Remove(own);
    }

    public int RestingOrders => _bookOfOrder.Count;

    /// <summary>One hash over every book, in instrument-name order.</summary>
    public Hash32 StateHash()
    {
        var w = new CanonicalWriter(64 + _books.Count * 64);
        foreach (var (name, book) in _books)
        {
            w.WriteText(name, Ledger.Names.MaxInstrumentLength);
            w.WriteHash(book.StateHash());
        }
        return Hash32.Tagged("exchange/matching-engine/v1", w.Written);
    }

    public void ValidateInternalState()
    {
        var resting = 0;
        foreach (var book in _books.Values)
        {
            book.ValidateInternalState();
            resting += book.Count;
        }
        if (resting != _bookOfOrder.Count) throw new InvalidOperationException($"{_bookOfOrder.Count} orders indexed, {resting} resting");
    }
}
