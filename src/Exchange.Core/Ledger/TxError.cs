namespace Exchange.Core.Ledger;

/// <summary>
/// Stateless reasons a transaction is invalid, found by <see cref="Transaction.Validate"/> before
/// any state is read. Codes are grouped by what they concern and are stable: clients may match on them.
/// </summary>
public enum TxError
{
    None = 0,

    // 100s: the envelope
    UnsupportedVersion = 101,
    InvalidChainId = 102,
    BadSignature = 103,

    // 200s: collateral movements
    NonPositiveAmount = 201,
    InvalidDestination = 202,
    TransferToSelf = 203,
    MissingExternalId = 204,

    // 300s: orders
    InvalidInstrumentName = 301,
    NonPositivePrice = 302,
    NonPositiveQuantity = 303,
    InvalidOrderCombination = 304,
    InvalidOrderId = 305,

    // 400s: administration
    ApproveSelfAsAgent = 401,
    InvalidUnderlying = 402,
    InvalidExpiry = 403,
    InvalidListingParameters = 404,
}

/// <summary>The outcome of a validation: <see cref="TxError.None"/> or an error with a message a person can act on.</summary>
public readonly record struct Validation(TxError Error, string Message)
{
    public static readonly Validation Ok = new(TxError.None, "");
    public bool IsValid => Error == TxError.None;
    public static Validation Fail(TxError error, string message) => new(error, message);
    public override string ToString() => IsValid ? "ok" : $"{Error} ({(int)Error}): {Message}";
}
