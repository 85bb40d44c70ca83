using Exchange.Core.Ledger;
using Exchange.Core.Numerics;

namespace Exchange.Core.Markets.Book;

public enum BookEventType : byte
{
    /// <summary>The order passed every check; fills and rest follow. Price is its limit (the band limit for a market order).</summary>
    Accepted = 1,
    /// <summary>The command changed nothing; <see cref="BookEvent.Code"/> says why.</summary>
    Rejected = 2,
    /// <summary>A trade: the taker is OrderId/Account on Side; the maker is MakerOrderId/MakerAccount; Remaining is the maker's rest.</summary>
    Filled = 3,
    /// <summary>Quantity left the book without trading (user cancel or self-trade prevention); Remaining is what still rests.</summary>
    Canceled = 4,
    /// <summary>A resting order's price and size changed; Code says whether it kept its time priority.</summary>
    Amended = 5,
    /// <summary>The unfilled rest of an immediate-or-cancel, fill-or-kill or market order, which never rests.</summary>
    Expired = 6,
}

/// <summary>
/// One outcome of a book command. A flat struct, so a busy book writes events into a reused
/// buffer without allocating. Fields that do not apply to a type are zero.
/// </summary>
public readonly record struct BookEvent(
    BookEventType Type,
    ulong OrderId,
    uint Account,
    Side Side,
    Price Price,
    Quantity Quantity,
    ulong MakerOrderId,
    uint MakerAccount,
    Quantity Remaining,
    BookResult Code)
{
    public override string ToString() => Type switch
    {
        BookEventType.Filled => $"Filled taker {OrderId}/{Account} {Side} {Quantity}@{Price} maker {MakerOrderId}/{MakerAccount} rest {Remaining}",
        BookEventType.Rejected => $"Rejected {OrderId}/{Account} {Code}",
        _ => $"{Type} {OrderId}/{Account} {Side} {Quantity}@{Price} rest {Remaining} {Code}",
    };
}

/// <summary>A reusable, growable event buffer that the caller clears between commands.</summary>
public sealed class BookEvents
{
    private BookEvent[] _items = new BookEvent[16];

    public int Count { get; private set; }
    public ReadOnlySpan<BookEvent> Span => _items.AsSpan(0, Count);
    public BookEvent this[int index] => index < Count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    public void Clear() => Count = 0;

    public void Add(in BookEvent e)
    {
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[Count++] = e;
    }

    internal void Accepted(ulong id, uint account, Side side, Price limit, Quantity quantity) =>
        Add(new BookEvent(BookEventType.Accepted, id, account, side, limit, quantity, 0, 0, quantity, BookResult.Ok));

    internal void Rejected(ulong id, uint account, Side side, BookResult code) =>
        Add(new BookEvent(BookEventType.Rejected, id, account, side, Price.Zero, Quantity.Zero, 0, 0, Quantity.Zero, code));

    internal void Filled(ulong takerId, uint taker, Side side, Price price, Quantity quantity, ulong makerId, uint maker, Quantity makerRemaining) =>
        Add(new BookEvent(BookEventType.Filled, takerId, taker, side, price, quantity, makerId, maker, makerRemaining, BookResult.Ok));

    internal void Canceled(ulong id, uint account, Side side, Price price, Quantity canceled, Quantity remaining, BookResult reason) =>
        Add(new BookEvent(BookEventType.Canceled, id, account, side, price, canceled, 0, 0, remaining, reason));

    internal void Amended(ulong id, uint account, Side side, Price price, Quantity quantity, BookResult priority) =>
        Add(new BookEvent(BookEventType.Amended, id, account, side, price, quantity, 0, 0, quantity, priority));

    internal void Expired(ulong id, uint account, Side side, Price limit, Quantity unfilled) =>
        Add(new BookEvent(BookEventType.Expired, id, account, side, limit, unfilled, 0, 0, Quantity.Zero, BookResult.Ok));

    public List<BookEvent> ToList() => [.. Span];
}
