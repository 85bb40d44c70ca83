using Exchange.Core.Ledger;
using Exchange.Core.Numerics;

namespace Exchange.Core.Markets.Book;

/// <summary>
/// A new order for one book. <see cref="OrderId"/> is assigned by the state machine from the
/// transaction that placed it; <see cref="Account"/> is the state's dense account number.
/// <see cref="Position"/> is the account's current position in this instrument (positive long),
/// which only reduce-only orders read.
/// </summary>
public readonly record struct PlaceCommand(
    ulong OrderId,
    uint Account,
    Side Side,
    OrderType Type,
    TimeInForce TimeInForce,
    OrderFlags Flags,
    Price Price,
    Quantity Quantity,
    ulong ClientOrderId = 0,
    SelfTradePrevention SelfTradePrevention = SelfTradePrevention.CancelResting,
    Quantity Position = default)
{
    public bool PostOnly => (Flags & OrderFlags.PostOnly) != 0;
    public bool ReduceOnly => (Flags & OrderFlags.ReduceOnly) != 0;
}

/// <summary>An order resting in the book, as queries show it (the L3 view).</summary>
public readonly record struct RestingOrder(
    ulong OrderId,
    uint Account,
    Side Side,
    Price Price,
    Quantity Quantity,
    ulong ClientOrderId,
    OrderFlags Flags,
    SelfTradePrevention SelfTradePrevention,
    long Sequence);

/// <summary>One aggregated price level (the L2 view).</summary>
public readonly record struct PriceLevel(Price Price, Quantity Quantity, int Orders);

/// <summary>Best bid and ask with their sizes; a missing side has price and size zero.</summary>
public readonly record struct TopOfBook(Price BidPrice, Quantity BidQuantity, Price AskPrice, Quantity AskQuantity)
{
    public bool HasBid => BidQuantity.IsPositive;
    public bool HasAsk => AskQuantity.IsPositive;
}
