using Exchange.Core.Markets.Book;

namespace Exchange.Bench.Matching;

/// <summary>
/// The ids of the orders resting in a book, kept in step with its events, so a generator can pick
/// a live order uniformly at random in constant time for its next amend or cancel.
/// </summary>
internal sealed class LiveOrders
{
    private readonly List<ulong> _ids = [];
    private readonly Dictionary<ulong, int> _positions = [];

    public int Count => _ids.Count;

    public ulong Pick(SplitMix64 random) => _ids[random.Next(_ids.Count)];

    /// <summary>
    /// Follows one command: makers filled to nothing and orders canceled to nothing leave; the
    /// command's own order is live exactly when the book still holds it afterwards (a new order
    /// rested, an amended one survived its matching).
    /// </summary>
    public void Follow(IOrderBook book, in BookOp op, BookEvents events)
    {
        foreach (var e in events.Span)
        {
            if (e.Type == BookEventType.Filled && !e.Remaining.IsPositive) Remove(e.MakerOrderId);
            else if (e.Type == BookEventType.Canceled && !e.Remaining.IsPositive) Remove(e.OrderId);
        }
        if (op.Kind == BookOpKind.Cancel) return;
        if (book.TryGetOrder(op.OrderId, out _)) Add(op.OrderId);
        else Remove(op.OrderId);
    }

    private void Add(ulong id)
    {
        if (_positions.TryAdd(id, _ids.Count)) _ids.Add(id);
    }

    private void Remove(ulong id)
    {
        if (!_positions.Remove(id, out var position)) return;
        var last = _ids[^1];
        _ids.RemoveAt(_ids.Count - 1);
        if (last == id) return;
        _ids[position] = last;
        _positions[last] = position;
    }
}
