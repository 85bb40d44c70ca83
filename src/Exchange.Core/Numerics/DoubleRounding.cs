namespace Exchange.Core.Numerics;

/// <summary>
/// The one way a double computed by the pricing code becomes a fixed-point amount: value × scale,
/// rounded in a named direction from the exact product (never from a rounded double product, where
/// 4.759422 × 10^6 can come out as 4759421.999… and floor to the wrong micro-unit). A double is
/// m·2^e with an integer m &lt; 2^53, so m·scale·2^e is formed exactly in <see cref="Int128"/>.
/// NaN or ±∞ throws <see cref="ArgumentOutOfRangeException"/>; a result outside the long range
/// throws <see cref="OverflowException"/>, as the rest of the fixed-point arithmetic does.
/// </summary>
public static class DoubleRounding
{
    /// <summary>value × scale rounded toward negative infinity. Use for what the exchange pays or credits.</summary>
    public static long ToRawFloor(double value, long scale) => ToRaw(value, scale, towardPositive: false);

    /// <summary>value × scale rounded toward positive infinity. Use for what the exchange charges or reserves.</summary>
    public static long ToRawCeil(double value, long scale) => ToRaw(value, scale, towardPositive: true);

    /// <summary>A price in USD rounded down to a whole micro-USD.</summary>
    public static Price ToPriceFloor(double usd) => new(ToRawFloor(usd, Price.Scale));

    /// <summary>A price in USD rounded up to a whole micro-USD.</summary>
    public static Price ToPriceCeil(double usd) => new(ToRawCeil(usd, Price.Scale));

    private static long ToRaw(double value, long scale, bool towardPositive)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "only a finite number has a fixed-point value");
        if (scale <= 0) throw new ArgumentOutOfRangeException(nameof(scale), scale, "the scale must be positive");
        if (value == 0) return 0;

        var bits = BitConverter.DoubleToInt64Bits(value);
        var negative = bits < 0;
        var biasedExponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0x000FFFFFFFFFFFFF;
        if (biasedExponent != 0) mantissa |= 1L << 52;
        var exponent = (biasedExponent == 0 ? 1 : biasedExponent) - 1075;    // |value| = mantissa·2^exponent

        // |value|·scale = magnitude·2^exponent; round the magnitude away from zero when the
        // direction asked for points away from zero for this sign.
        var magnitude = (Int128)mantissa * scale;                           // < 2^53 · 2^63
        var awayFromZero = towardPositive != negative;
        Int128 rounded;
        if (exponent >= 0)
        {
            if (exponent >= 64 || magnitude > (Int128.MaxValue >> exponent)) throw Overflow(value, scale);
            rounded = magnitude << exponent;
        }
        else if (exponent <= -120)
        {
            rounded = awayFromZero ? 1 : 0;                                 // 0 < |value|·scale < 1
        }
        else
        {
            var shift = -exponent;
            rounded = magnitude >> shift;
            var exact = (rounded << shift) == magnitude;
            if (!exact && awayFromZero) rounded += 1;
        }

        var signed = negative ? -rounded : rounded;
        if (signed > long.MaxValue || signed < long.MinValue) throw Overflow(value, scale);
        return (long)signed;
    }

    private static OverflowException Overflow(double value, long scale) =>
        new($"{value:R} × {scale} does not fit in a fixed-point amount");
}
