using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Numerics;

namespace Exchange.Core.Markets.Book;

/// <summary>
/// A price-time priority limit order book for one instrument. Commands append their outcomes to
/// the caller's <see cref="BookEvents"/>; a rejected command appends one Rejected event and changes
/// nothing. Two implementations exist, a plain reference and a fast one; a contract test holds them
/// to identical event streams and state hashes. The rules are written out in docs/matching.md.
/// </summary>
public interface IOrderBook
{
    InstrumentSpec Spec { get; }

    void Place(in PlaceCommand command, BookEvents events);

    void Cancel(ulong orderId, uint account, BookEvents events);

    /// <summary>Cancels every order of the account in this book, oldest placement first.</summary>
    void CancelAll(uint account, BookEvents events);

    /// <summary>Sets a resting order's price and remaining size; only a pure size decrease keeps its priority.</summary>
    void Amend(ulong orderId, uint account, Price price, Quantity quantity, BookEvents events);

    TopOfBook Top { get; }

    /// <summary>Fills <paramref name="levels"/> with the best levels of a side, best first; returns how many.</summary>
    int Depth(Side side, Span<PriceLevel> levels);

    /// <summary>Every resting order of a side in priority order: best price first, then oldest first.</summary>
    IEnumerable<RestingOrder> Orders(Side side);

    bool TryGetOrder(ulong orderId, out RestingOrder order);

    int OpenOrders(uint account);

    int Count { get; }

    /// <summary>The placement sequence the next resting order will get; part of a snapshot.</summary>
    long NextSequence { get; }

    /// <summary>
    /// Refills an empty book from a snapshot: the orders of <see cref="Orders"/> for both sides, each in
    /// priority order, placed back exactly (no matching), and the sequence counter. Throws on a book
    /// that is not empty or orders that could not have rested together.
    /// </summary>
    void Restore(IEnumerable<RestingOrder> ordersInPriorityOrder, long nextSequence);

    /// <summary>SHA-256 over every resting order in priority order: equal books have equal hashes.</summary>
    Hash32 StateHash();

    /// <summary>Checks every internal invariant; throws <see cref="InvalidOperationException"/> naming the first broken one.</summary>
    void ValidateInternalState();
}
