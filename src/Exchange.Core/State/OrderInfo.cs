using Exchange.Core.Ledger;

namespace Exchange.Core.State;

/// <summary>
/// The state's copy of one resting order: enough to keep its account's reservations and hash
/// leaf current without asking the book. Synchronised from the book after every command.
/// <see cref="QueueStamp"/> grows each time the order enters a price level (placed, or re-queued by an
/// amend that lost priority), so (price, stamp) fixes its place in the queue and the app hash commits to
/// queue order through the account leaves without hashing whole books.
/// </summary>
public sealed record OrderInfo(
    ulong OrderId,
    int Instrument,
    uint Account,
    Side Side,
    long Price,
    long Remaining,
    ulong ClientOrderId,
    OrderFlags Flags,
    SelfTradePrevention Stp,
    long Sequence,
    long QueueStamp)
{
    public bool ReduceOnly => (Flags & OrderFlags.ReduceOnly) != 0;
}
