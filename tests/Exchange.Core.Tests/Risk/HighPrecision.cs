using System.Numerics;

namespace Exchange.Core.Tests.Risk;

/// <summary>
/// Reference values far beyond double precision, in BigInteger fixed point (a raw integer r with
/// <c>bits</c> fractional bits stands for r·2^−bits), by methods that share nothing with the code
/// under test: the Taylor series of e^r, the atanh series for ln, Machin's formula for π, Newton's
/// integer square root, and for the normal distribution the series
/// Φ(x) = ½ + φ(x)·(x + x³/3 + x⁵/(3·5) + …), which converges everywhere and is carried out with
/// enough bits to survive its cancellation in the lower tail. Every routine works 64 guard bits
/// beyond what it returns; callers ask for <see cref="BitsFor"/> bits so the answer keeps
/// about 80 bits beyond a double.
/// </summary>
internal static class HighPrecision
{
    private const int Guard = 64;
    private const int CachedBits = 8_192;

    private static readonly Lazy<BigInteger> Ln2Cached = new(() => 2 * AtanhOfInverse(3, CachedBits));
    private static readonly Lazy<BigInteger> PiCached = new(() => 16 * AtanOfInverse(5, CachedBits) - 4 * AtanOfInverse(239, CachedBits));
    private static readonly Lazy<BigInteger> SqrtTwoPiCached = new(() => IntegerSqrt((2 * PiCached.Value) << CachedBits));

    /// <summary>Fractional bits that hold a value of about this size to ~130 significant bits, and any double of that size exactly.</summary>
    public static int BitsFor(double magnitude)
    {
        var exponent = magnitude == 0 ? -1074 : (int)Math.Floor(Math.Log2(Math.Abs(magnitude)));
        return Math.Max(0, -exponent) + 140;
    }

    /// <summary>x exactly, with the given fractional bits (which must be enough to hold it).</summary>
    public static BigInteger Exact(double x, int bits)
    {
        var (mantissa, exponent) = Decompose(x);
        var shift = exponent + bits;
        if (shift < 0)
        {
            if (!(mantissa % (BigInteger.One << -shift)).IsZero) throw new ArgumentException($"{x:R} needs more than {bits} fractional bits");
            return mantissa >> -shift;
        }
        return mantissa << shift;
    }

    /// <summary>x rounded toward negative infinity to the given fractional bits.</summary>
    public static BigInteger Truncated(double x, int bits)
    {
        var (mantissa, exponent) = Decompose(x);
        return ShiftBy(mantissa, exponent + bits);
    }

    public static BigInteger Ln2(int bits) => Ln2Cached.Value >> (CachedBits - bits);

    public static BigInteger Pi(int bits) => PiCached.Value >> (CachedBits - bits);

    /// <summary>e^x for a double x.</summary>
    public static BigInteger Exp(double x, int bits) => ExpFixed(Truncated(x, bits + Guard), bits + Guard) >> Guard;

    /// <summary>e^x for x given in fixed point with <paramref name="bits"/> fractional bits.</summary>
    public static BigInteger ExpFixed(BigInteger x, int bits)
    {
        var w = bits + Guard;
        var xw = x << Guard;
        var ln2 = Ln2(w);
        var k = FloorDiv(2 * xw + ln2, 2 * ln2);          // nearest integer to x/ln2
        var r = xw - k * ln2;                              // |r| ≤ ln2/2
        var one = BigInteger.One << w;
        var sum = one;
        var term = one;
        for (var n = 1; !term.IsZero; n++)
        {
            term = (term * r >> w) / n;
            sum += term;
        }
        var scaled = k >= 0 ? sum << (int)k : sum >> (int)-k;
        return scaled >> Guard;
    }

    /// <summary>ln x for a positive double x: x = m·2^e with m in [1, 2), ln m = 2·atanh((m−1)/(m+1)).</summary>
    public static BigInteger Ln(double x, int bits)
    {
        if (!(x > 0) || double.IsInfinity(x)) throw new ArgumentOutOfRangeException(nameof(x));
        var w = bits + Guard;
        var (mantissa, exponent) = Decompose(x);
        var length = (int)mantissa.GetBitLength();
        var e = exponent + length - 1;                     // x = (mantissa·2^(1−length))·2^e
        var m = mantissa << (w - length + 1);              // m in [1, 2) at w bits
        var one = BigInteger.One << w;
        var z = ((m - one) << w) / (m + one);
        var zz = z * z >> w;
        var sum = BigInteger.Zero;
        var power = z;
        for (var n = 1; !power.IsZero; n += 2)
        {
            sum += power / n;
            power = power * zz >> w;
        }
        return (e * Ln2(w) + 2 * sum) >> Guard;
    }

    /// <summary>φ(x) = e^{−x²/2}/√(2π).</summary>
    public static BigInteger NormalPdf(double x, int bits)
    {
        var w = bits + Guard;
        var xw = Exact(x, w);
        var halfSquare = (xw * xw) >> (w + 1);             // exact: x has few fractional bits
        return (ExpFixed(-halfSquare, w) << w) / SqrtTwoPi(w) >> Guard;
    }

    /// <summary>
    /// Φ(x) = ½ ± φ(|x|)·S(|x|) with S(y) = Σ y^(2n+1)/(1·3·…·(2n+1)). For x &lt; 0 the two terms
    /// cancel to about 2^−0.72·x², so the working precision grows by that many bits.
    /// </summary>
    public static BigInteger NormalCdf(double x, int bits)
    {
        var y = Math.Abs(x);
        var w = bits + Guard + (int)Math.Ceiling(0.7214 * y * y);
        var (a, p) = Decompose(y);                         // y = a·2^p exactly
        var ySquared = a * a;                              // y² = ySquared·2^(2p)
        var series = Exact(y, w);
        var term = series;
        for (var n = 1; !term.IsZero; n++)
        {
            term = ShiftBy(term * ySquared, 2 * p) / (2 * n + 1);
            series += term;
        }
        var density = NormalPdf(y, w);
        var product = density * series >> w;
        var half = BigInteger.One << (w - 1);
        var cdf = x < 0 ? half - product : half + product;
        return cdf >> (w - bits);
    }

    /// <summary>
    /// The error of <paramref name="actual"/> in units in the last place of the reference (ulps of
    /// the reference's binade); 0 or infinite when the reference is exactly zero.
    /// </summary>
    public static double UlpError(double actual, BigInteger reference, int bits)
    {
        if (reference.IsZero) return actual == 0 ? 0 : double.PositiveInfinity;
        var binade = (int)BigInteger.Abs(reference).GetBitLength() - 1 - bits;
        var ulpExponent = Math.Max(binade - 52, -1074);
        var difference = Exact(actual, bits) - reference;
        const int fraction = 24;
        var scaled = ShiftBy(difference, -bits - ulpExponent + fraction);
        return (double)scaled / (1 << fraction);
    }

    /// <summary>A fixed-point value as a double, to about an ulp (for messages and tolerances).</summary>
    public static double ToDouble(BigInteger raw, int bits)
    {
        var excess = (int)BigInteger.Abs(raw).GetBitLength() - 64;
        if (excess > 0)
        {
            raw >>= excess;
            bits -= excess;
        }
        return Math.ScaleB((double)raw, -bits);
    }

    private static BigInteger SqrtTwoPi(int bits) => SqrtTwoPiCached.Value >> (CachedBits - bits);

    private static BigInteger IntegerSqrt(BigInteger n)
    {
        if (n.IsZero) return n;
        var x = BigInteger.One << (int)((n.GetBitLength() + 1) / 2);
        while (true)
        {
            var next = (x + n / x) >> 1;
            if (next >= x) return x;
            x = next;
        }
    }

    /// <summary>atanh(1/n) = Σ 1/((2k+1)·n^(2k+1)).</summary>
    private static BigInteger AtanhOfInverse(int n, int bits)
    {
        var w = bits + Guard;
        var power = (BigInteger.One << w) / n;
        var sum = BigInteger.Zero;
        var n2 = (BigInteger)n * n;
        for (var k = 1; !power.IsZero; k += 2)
        {
            sum += power / k;
            power /= n2;
        }
        return sum >> Guard;
    }

    /// <summary>atan(1/n) = Σ (−1)^k/((2k+1)·n^(2k+1)).</summary>
    private static BigInteger AtanOfInverse(int n, int bits)
    {
        var w = bits + Guard;
        var power = (BigInteger.One << w) / n;
        var sum = BigInteger.Zero;
        var n2 = (BigInteger)n * n;
        var sign = 1;
        for (var k = 1; !power.IsZero; k += 2)
        {
            sum += sign * (power / k);
            power /= n2;
            sign = -sign;
        }
        return sum >> Guard;
    }

    /// <summary>A finite double as an integer mantissa and a power of two.</summary>
    private static (BigInteger Mantissa, int Exponent) Decompose(double x)
    {
        if (!double.IsFinite(x)) throw new ArgumentOutOfRangeException(nameof(x));
        var bits = BitConverter.DoubleToInt64Bits(x);
        var biased = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0x000FFFFFFFFFFFFF;
        if (biased != 0) mantissa |= 1L << 52;
        var exponent = (biased == 0 ? 1 : biased) - 1075;
        BigInteger m = bits < 0 ? -mantissa : mantissa;
        return (m, exponent);
    }

    private static BigInteger ShiftBy(BigInteger value, int shift) => shift >= 0 ? value << shift : value >> -shift;

    private static BigInteger FloorDiv(BigInteger n, BigInteger d)
    {
        var q = BigInteger.DivRem(n, d, out var r);
        return !r.IsZero && (r.Sign != d.Sign) ? q - 1 : q;
    }
}
