using Exchange.Core.Ledger;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;

namespace Exchange.Bench.Matching;

internal enum BookOpKind : byte { Place = 1, Amend = 2, Cancel = 3 }

/// <summary>
/// One pre-generated book call in 32 bytes, so millions fit in memory and stream through the
/// cache without the generator's bookkeeping. Prices and sizes are raw fixed-point values.
/// </summary>
internal readonly record struct BookOp(ulong OrderId, long Price, long Quantity, uint Account, BookOpKind Kind, Side Side, OrderType Type, TimeInForce TimeInForce)
{
    public static BookOp Place(ulong id, uint account, Side side, OrderType type, TimeInForce tif, long price, long quantity) =>
        new(id, price, quantity, account, BookOpKind.Place, side, type, tif);

    public static BookOp Amend(ulong id, uint account, long price, long quantity) =>
        new(id, price, quantity, account, BookOpKind.Amend, default, default, default);

    public static BookOp Cancel(ulong id, uint account) =>
        new(id, 0, 0, account, BookOpKind.Cancel, default, default, default);

    /// <summary>Makes the one book call this op stands for; the caller clears <paramref name="events"/> first.</summary>
    public void Apply(IOrderBook book, BookEvents events)
    {
        switch (Kind)
        {
            case BookOpKind.Amend:
                book.Amend(OrderId, Account, new Price(Price), new Quantity(Quantity), events);
                break;
            case BookOpKind.Place:
                book.Place(new PlaceCommand(OrderId, Account, Side, Type, TimeInForce, OrderFlags.None, new Price(Price), new Quantity(Quantity)), events);
                break;
            case BookOpKind.Cancel:
                book.Cancel(OrderId, Account, events);
                break;
            default:
                throw new InvalidOperationException($"unknown book op kind {Kind}");
        }
    }
}
