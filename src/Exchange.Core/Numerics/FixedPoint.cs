using System.Globalization;

namespace Exchange.Core.Numerics;

/// <summary>
/// Integer arithmetic for fixed-point amounts. Every operation is checked: an overflow throws
/// <see cref="OverflowException"/> and never wraps. Every division names its rounding direction.
/// Products are formed in <see cref="Int128"/> so that a*b/d is exact before it is rounded.
/// </summary>
public static class FixedPoint
{
    /// <summary>The largest number of decimal places a fixed-point type may carry.</summary>
    public const int MaxDecimals = 18;

    /// <summary>a*b/d rounded toward negative infinity.</summary>
    public static long MulDivFloor(long a, long b, long d)
    {
        var (q, r) = DivRem((Int128)a * b, d);
        if (r != 0 && (r < 0) != (d < 0)) q -= 1;
        return Narrow(q);
    }

    /// <summary>a*b/d rounded toward positive infinity.</summary>
    public static long MulDivCeil(long a, long b, long d)
    {
        var (q, r) = DivRem((Int128)a * b, d);
        if (r != 0 && (r < 0) == (d < 0)) q += 1;
        return Narrow(q);
    }

    /// <summary>a*b/d rounded toward zero (truncation).</summary>
    public static long MulDivTruncate(long a, long b, long d) => Narrow(DivRem((Int128)a * b, d).Quotient);

    /// <summary>n/d rounded toward negative infinity.</summary>
    public static long DivFloor(long n, long d) => MulDivFloor(n, 1, d);

    /// <summary>n/d rounded toward positive infinity.</summary>
    public static long DivCeil(long n, long d) => MulDivCeil(n, 1, d);

    private static (Int128 Quotient, Int128 Remainder) DivRem(Int128 n, long d)
    {
        if (d == 0) throw new DivideByZeroException("fixed-point division by zero");
        return Int128.DivRem(n, d);
    }

    private static long Narrow(Int128 value) => checked((long)value);

    /// <summary>10^decimals as a long, for 0 ≤ decimals ≤ 18.</summary>
    public static long Pow10(int decimals)
    {
        if ((uint)decimals > MaxDecimals) throw new ArgumentOutOfRangeException(nameof(decimals));
        long p = 1;
        for (var i = 0; i < decimals; i++) p *= 10;
        return p;
    }

    /// <summary>
    /// Parses a plain decimal string ("-12.5", "0.000001", "100") into raw units of 10^-decimals.
    /// Strict: no exponent, no sign other than a leading '-', no white space, no more fractional
    /// digits than the type carries (an amount is never silently rounded), no overflow.
    /// <paramref name="decimals"/> outside 0..18 is a programming error and throws, as in <see cref="Format"/>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, int decimals, out long raw, out string error)
    {
        if ((uint)decimals > MaxDecimals) throw new ArgumentOutOfRangeException(nameof(decimals));
        raw = 0;
        error = "";
        if (text.IsEmpty) { error = "empty number"; return false; }
        var negative = text[0] == '-';
        var body = negative ? text[1..] : text;
        if (body.IsEmpty) { error = "a sign without digits"; return false; }

        var dot = body.IndexOf('.');
        var whole = dot < 0 ? body : body[..dot];
        var fraction = dot < 0 ? ReadOnlySpan<char>.Empty : body[(dot + 1)..];
        if (whole.IsEmpty) { error = "no digits before the decimal point"; return false; }
        if (dot >= 0 && fraction.IsEmpty) { error = "no digits after the decimal point"; return false; }
        if (!AllDigits(whole) || !AllDigits(fraction)) { error = $"'{text}' is not a plain decimal number"; return false; }
        if (fraction.Length > decimals) { error = $"more than {decimals} decimal places"; return false; }

        Int128 value = 0;
        foreach (var c in whole)
        {
            value = value * 10 + (c - '0');
            if (value > long.MaxValue) { error = "number out of range"; return false; }
        }
        foreach (var c in fraction) value = value * 10 + (c - '0');
        for (var i = fraction.Length; i < decimals; i++) value *= 10;
        if (negative) value = -value;
        if (value > long.MaxValue || value < -long.MaxValue) { error = "number out of range"; return false; }
        raw = (long)value;
        return true;
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (c < '0' || c > '9') return false;
        return true;
    }

    /// <summary>Canonical text: no trailing fractional zeros, no exponent, '-' for negatives ("1.5", "100", "-0.000001").</summary>
    public static string Format(long raw, int decimals)
    {
        var scale = Pow10(decimals);
        var magnitude = raw < 0 ? -(Int128)raw : raw;
        var whole = (ulong)(magnitude / scale);
        var fraction = (long)(magnitude % scale);
        var sign = raw < 0 ? "-" : "";
        if (fraction == 0) return sign + whole.ToString(CultureInfo.InvariantCulture);
        var digits = fraction.ToString(CultureInfo.InvariantCulture).PadLeft(decimals, '0').TrimEnd('0');
        return $"{sign}{whole.ToString(CultureInfo.InvariantCulture)}.{digits}";
    }
}
