using Exchange.Core.Ledger;

namespace Exchange.Core.State;

/// <summary>
/// The state's copy of one resting order: enough to keep its account's reservations and hash
/// leaf current without asking the book. Synchronised from the book after every command.
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
    long Sequence)
{
    public bool ReduceOnly => (Flags & OrderFlags.ReduceOnly) != 0;
}
