namespace Exchange.Core.Numerics;

/// <summary>An amount of USDC collateral in micro-units (6 decimals). Arithmetic is checked.</summary>
public readonly record struct Money(long Raw) : IComparable<Money>
{
    public const int Decimals = 6;
    public const long Scale = 1_000_000;

    public static readonly Money Zero = new(0);

    public static Money FromWhole(long units) => new(checked(units * Scale));
    public bool IsPositive => Raw > 0;
    public bool IsNegative => Raw < 0;

    public static Money operator +(Money a, Money b) => new(checked(a.Raw + b.Raw));
    public static Money operator -(Money a, Money b) => new(checked(a.Raw - b.Raw));
    public static Money operator -(Money a) => new(checked(-a.Raw));
    public static bool operator <(Money a, Money b) => a.Raw < b.Raw;
    public static bool operator >(Money a, Money b) => a.Raw > b.Raw;
    public static bool operator <=(Money a, Money b) => a.Raw <= b.Raw;
    public static bool operator >=(Money a, Money b) => a.Raw >= b.Raw;
    public int CompareTo(Money other) => Raw.CompareTo(other.Raw);

    public static Money Min(Money a, Money b) => a.Raw <= b.Raw ? a : b;
    public static Money Max(Money a, Money b) => a.Raw >= b.Raw ? a : b;

    /// <summary>This amount times num/den, rounded down (toward negative infinity): use for what the exchange pays out.</summary>
    public Money MulDivFloor(long num, long den) => new(FixedPoint.MulDivFloor(Raw, num, den));

    /// <summary>This amount times num/den, rounded up (toward positive infinity): use for what the exchange charges or reserves.</summary>
    public Money MulDivCeil(long num, long den) => new(FixedPoint.MulDivCeil(Raw, num, den));

    /// <summary>Price × quantity in micro-USDC, rounded down: what a seller of that quantity receives at least.</summary>
    public static Money NotionalFloor(Price price, Quantity quantity) =>
        new(FixedPoint.MulDivFloor(price.Raw, quantity.Raw, Quantity.Scale));

    /// <summary>Price × quantity in micro-USDC, rounded up: what a buyer of that quantity pays at most.</summary>
    public static Money NotionalCeil(Price price, Quantity quantity) =>
        new(FixedPoint.MulDivCeil(price.Raw, quantity.Raw, Quantity.Scale));

    public static bool TryParse(ReadOnlySpan<char> text, out Money value, out string error)
    {
        var ok = FixedPoint.TryParse(text, Decimals, out var raw, out error);
        value = new Money(raw);
        return ok;
    }

    public static Money Parse(string text) =>
        TryParse(text, out var v, out var e) ? v : throw new FormatException($"invalid amount '{text}': {e}");

    public override string ToString() => FixedPoint.Format(Raw, Decimals);
}
