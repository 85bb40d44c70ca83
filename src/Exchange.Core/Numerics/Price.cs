namespace Exchange.Core.Numerics;

/// <summary>A price in micro-USD per unit of the underlying (6 decimals). Arithmetic is checked.</summary>
public readonly record struct Price(long Raw) : IComparable<Price>
{
    public const int Decimals = 6;
    public const long Scale = 1_000_000;

    public static readonly Price Zero = new(0);

    public static Price FromWhole(long units) => new(checked(units * Scale));
    public bool IsPositive => Raw > 0;

    public static Price operator +(Price a, Price b) => new(checked(a.Raw + b.Raw));
    public static Price operator -(Price a, Price b) => new(checked(a.Raw - b.Raw));
    public static bool operator <(Price a, Price b) => a.Raw < b.Raw;
    public static bool operator >(Price a, Price b) => a.Raw > b.Raw;
    public static bool operator <=(Price a, Price b) => a.Raw <= b.Raw;
    public static bool operator >=(Price a, Price b) => a.Raw >= b.Raw;
    public int CompareTo(Price other) => Raw.CompareTo(other.Raw);

    public static Price Min(Price a, Price b) => a.Raw <= b.Raw ? a : b;
    public static Price Max(Price a, Price b) => a.Raw >= b.Raw ? a : b;

    /// <summary>True when this price is a whole number of ticks.</summary>
    public bool IsMultipleOf(Price tick) => tick.Raw > 0 && Raw % tick.Raw == 0;

    /// <summary>The nearest multiple of <paramref name="tick"/> at or below this price. The tick must be positive.</summary>
    public Price FloorToTick(Price tick) => new(checked(FixedPoint.DivFloor(Raw, PositiveTick(tick)) * tick.Raw));

    /// <summary>The nearest multiple of <paramref name="tick"/> at or above this price. The tick must be positive.</summary>
    public Price CeilToTick(Price tick) => new(checked(FixedPoint.DivCeil(Raw, PositiveTick(tick)) * tick.Raw));

    private static long PositiveTick(Price tick) =>
        tick.Raw > 0 ? tick.Raw : throw new ArgumentOutOfRangeException(nameof(tick), tick.Raw, "a tick must be positive");

    /// <summary>This price times num/den rounded down.</summary>
    public Price MulDivFloor(long num, long den) => new(FixedPoint.MulDivFloor(Raw, num, den));

    /// <summary>This price times num/den rounded up.</summary>
    public Price MulDivCeil(long num, long den) => new(FixedPoint.MulDivCeil(Raw, num, den));

    public static bool TryParse(ReadOnlySpan<char> text, out Price value, out string error)
    {
        var ok = FixedPoint.TryParse(text, Decimals, out var raw, out error);
        value = new Price(raw);
        return ok;
    }

    public static Price Parse(string text) =>
        TryParse(text, out var v, out var e) ? v : throw new FormatException($"invalid price '{text}': {e}");

    public override string ToString() => FixedPoint.Format(Raw, Decimals);
}
