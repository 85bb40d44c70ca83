namespace Exchange.Core.Numerics;

/// <summary>A number of option contracts in millionths (6 decimals); one contract is on one unit of the underlying.</summary>
public readonly record struct Quantity(long Raw) : IComparable<Quantity>
{
    public const int Decimals = 6;
    public const long Scale = 1_000_000;

    public static readonly Quantity Zero = new(0);

    public static Quantity FromWhole(long units) => new(checked(units * Scale));
    public bool IsPositive => Raw > 0;
    public bool IsZero => Raw == 0;

    public static Quantity operator +(Quantity a, Quantity b) => new(checked(a.Raw + b.Raw));
    public static Quantity operator -(Quantity a, Quantity b) => new(checked(a.Raw - b.Raw));
    public static Quantity operator -(Quantity a) => new(checked(-a.Raw));
    public static bool operator <(Quantity a, Quantity b) => a.Raw < b.Raw;
    public static bool operator >(Quantity a, Quantity b) => a.Raw > b.Raw;
    public static bool operator <=(Quantity a, Quantity b) => a.Raw <= b.Raw;
    public static bool operator >=(Quantity a, Quantity b) => a.Raw >= b.Raw;
    public int CompareTo(Quantity other) => Raw.CompareTo(other.Raw);

    public static Quantity Min(Quantity a, Quantity b) => a.Raw <= b.Raw ? a : b;

    /// <summary>True when this quantity is a whole number of lots.</summary>
    public bool IsMultipleOf(Quantity lot) => lot.Raw > 0 && Raw % lot.Raw == 0;

    public static bool TryParse(ReadOnlySpan<char> text, out Quantity value, out string error)
    {
        var ok = FixedPoint.TryParse(text, Decimals, out var raw, out error);
        value = new Quantity(raw);
        return ok;
    }

    public static Quantity Parse(string text) =>
        TryParse(text, out var v, out var e) ? v : throw new FormatException($"invalid quantity '{text}': {e}");

    public override string ToString() => FixedPoint.Format(Raw, Decimals);
}
