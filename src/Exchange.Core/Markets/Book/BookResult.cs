namespace Exchange.Core.Markets.Book;

/// <summary>
/// Why the book rejected a command or removed an order, grouped by the stage that decides it
/// (as exchange-core does): 1xx validation of the command alone, 2xx the account's standing in
/// this book, 3xx matching, 4xx cancel and amend, 5xx why a resting order left the book.
/// </summary>
public enum BookResult : short
{
    Ok = 0,

    // 1xx: the command alone
    InvalidPrice = 101,
    InvalidQuantity = 102,
    BelowMinimumSize = 103,
    InvalidOrderCombination = 104,
    InvalidOrderId = 105,
    UnknownInstrument = 106,

    // 2xx: the account in this book
    DuplicateOrderId = 201,
    DuplicateClientOrderId = 202,
    TooManyOpenOrders = 203,
    ReduceOnlyWouldIncrease = 204,

    // 3xx: matching
    PostOnlyWouldTake = 301,
    FillOrKillNotFillable = 302,
    NoLiquidity = 303,

    // 4xx: cancel and amend
    UnknownOrder = 401,
    NotOrderOwner = 402,

    // 5xx: why an order's quantity left the book without trading
    CanceledByUser = 501,
    CanceledBySelfTradePrevention = 502,
    AmendKeptPriority = 503,
    AmendLostPriority = 504,
}
