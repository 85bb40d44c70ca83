namespace Exchange.Core.Oracle;

/// <summary>Stateless reasons a <see cref="PriceObservation"/> is malformed. Codes are stable: tools may match on them.</summary>
public enum ObservationError
{
    None = 0,
    /// <summary>Height 0: no precommit is cast at height 0, so no observation can ride on one.</summary>
    InvalidHeight = 1,
    /// <summary>The reading time is before 1970.</summary>
    NegativeTime = 2,
    /// <summary>No quotes: a validator without a reading sends no observation at all.</summary>
    NoQuotes = 3,
    /// <summary>More than <see cref="PriceObservation.MaxQuotes"/> quotes.</summary>
    TooManyQuotes = 4,
    /// <summary>An underlying symbol that is not 2 to 8 upper-case letters.</summary>
    InvalidUnderlying = 5,
    /// <summary>Underlyings not in strictly increasing ordinal order (a repeated symbol is out of order too).</summary>
    UnsortedUnderlyings = 6,
    /// <summary>A price of zero or below.</summary>
    NonPositivePrice = 7,
    /// <summary>An implied volatility of zero or below, or above <see cref="IndexQuote.MaxImpliedVol"/>.</summary>
    ImpliedVolOutOfRange = 8,
}

/// <summary>The outcome of <see cref="PriceObservation.Validate"/>: <see cref="ObservationError.None"/> or an error with a message a person can act on.</summary>
public readonly record struct ObservationValidation(ObservationError Error, string Message)
{
    public static readonly ObservationValidation Ok = new(ObservationError.None, "");
    public bool IsValid => Error == ObservationError.None;
    public static ObservationValidation Fail(ObservationError error, string message) => new(error, message);
    public override string ToString() => IsValid ? "ok" : $"{Error} ({(int)Error}): {Message}";
}
