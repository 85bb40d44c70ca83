namespace Exchange.Core.Numerics;

/// <summary>
/// Exponential, logarithm and the standard normal distribution built only from IEEE-754 basic
/// operations (+ − × ÷, <see cref="Math.Sqrt"/>, <see cref="Math.Floor"/>, comparisons) and exact
/// power-of-two scaling through the bit pattern. Each of those is correctly rounded by the
/// standard, so every validator computes the same bits; the platform's <c>Math.Exp</c> and
/// <c>Math.Log</c> are not, and the banned-API analyzer keeps them out of this project.
/// <para>
/// Special values follow <see cref="Math"/>: a NaN argument gives NaN, <see cref="Ln"/> of a
/// negative number gives NaN. Consensus code must not let such a value reach state: callers
/// validate their inputs first (see <c>Risk.BlackScholes</c>, which throws instead).
/// </para>
/// <para>
/// Accuracy, measured against high-precision references in the tests (docs/pricing.md): Exp and
/// Ln within 1 ulp; NormalCdf and NormalPdf within 6 ulps of relative error, the lower tail of Φ
/// included, down to x ≈ −37.5 where results become subnormal and lose bits.
/// </para>
/// </summary>
public static partial class DeterministicMath
{
    // Cody–Waite split of ln 2 (as in fdlibm): Ln2Hi keeps 32 significant bits, so k·Ln2Hi is exact
    // for every |k| ≤ 2^21, and Ln2Hi + Ln2Lo equals ln 2 to within 2^-86.
    private static readonly double Ln2Hi = BitConverter.Int64BitsToDouble(0x3FE62E42FEE00000);
    private static readonly double Ln2Lo = BitConverter.Int64BitsToDouble(0x3DEA39EF35793C76);
    private static readonly double InvLn2 = BitConverter.Int64BitsToDouble(0x3FF71547652B82FE);

    /// <summary>exp(x) overflows above this (ln of the largest double).</summary>
    private static readonly double ExpOverflow = BitConverter.Int64BitsToDouble(0x40862E42FEFA39EF);

    /// <summary>exp(x) is below half the smallest subnormal, and rounds to 0, below this.</summary>
    private static readonly double ExpUnderflow = BitConverter.Int64BitsToDouble(unchecked((long)0xC0874910D52D3051));

    // Remez coefficients of R(r²) ≈ r·(e^r + 1)/(e^r − 1) − 2 on |r| ≤ ln2/2 (fdlibm e_exp.c, error < 2^-59).
    private const double ExpP1 = 1.66666666666666019037e-01;
    private const double ExpP2 = -2.77777777770155933842e-03;
    private const double ExpP3 = 6.61375632143793436117e-05;
    private const double ExpP4 = -1.65339022054652515390e-06;
    private const double ExpP5 = 4.13813679705723846039e-08;

    // Remez coefficients of log(1+f) = 2s + s·R(s²) with s = f/(2+f) on √2/2 ≤ 1+f ≤ √2 (fdlibm e_log.c, error < 2^-58.45).
    private const double Lg1 = 6.666666666666735130e-01;
    private const double Lg2 = 3.999999999940941908e-01;
    private const double Lg3 = 2.857142874366239149e-01;
    private const double Lg4 = 2.222219843214978396e-01;
    private const double Lg5 = 1.818357216161805012e-01;
    private const double Lg6 = 1.531383769920937332e-01;
    private const double Lg7 = 1.479819860511658591e-01;

    private const double Sqrt2 = 1.4142135623730951;
    private const double MinNormal = 2.2250738585072014e-308;
    private const double Two54 = 18014398509481984.0;
    private const long MantissaMask = 0x000FFFFFFFFFFFFF;
    private const long ExponentOfOne = 0x3FF0000000000000;

    /// <summary>
    /// e^x within 1 ulp. x = k·ln2 + r with |r| ≤ ln2/2 (Cody–Waite, exact), e^r from a rational
    /// form of a degree-10 Remez polynomial, then an exact multiplication by 2^k.
    /// NaN → NaN, +∞ → +∞, −∞ → 0; x &gt; 709.78… → +∞; x &lt; −745.13… → 0; results below 2^-1022
    /// are subnormal and carry only the bits a subnormal has (one rounding).
    /// </summary>
    public static double Exp(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x > ExpOverflow) return double.PositiveInfinity;
        if (x < ExpUnderflow) return 0.0;

        var k = (int)Math.Floor(x * InvLn2 + 0.5);
        var hi = x - k * Ln2Hi;     // exact: k·Ln2Hi is exact, and x − k·Ln2Hi is a multiple of x's ulp below 1 in size
        var lo = k * Ln2Lo;
        var r = hi - lo;
        var t = r * r;
        var c = r - t * (ExpP1 + t * (ExpP2 + t * (ExpP3 + t * (ExpP4 + t * ExpP5))));
        var y = 1.0 - ((lo - r * c / (2.0 - c)) - hi);
        return ScaleByPowerOfTwo(y, k);
    }

    /// <summary>
    /// Natural logarithm within 1 ulp. x = 2^k·m with √2/2 ≤ m &lt; √2, f = m − 1 (exact),
    /// log(1+f) from a degree-14 Remez polynomial in s = f/(2+f), plus k·ln2 in two parts.
    /// NaN or x &lt; 0 → NaN, ±0 → −∞, +∞ → +∞. Subnormal x is handled exactly.
    /// </summary>
    public static double Ln(double x)
    {
        if (double.IsNaN(x) || x < 0) return double.NaN;
        if (x == 0) return double.NegativeInfinity;
        if (double.IsPositiveInfinity(x)) return x;

        var k = 0;
        if (x < MinNormal)
        {
            x *= Two54;             // exact: brings a subnormal into the normal range
            k = -54;
        }
        var bits = BitConverter.DoubleToInt64Bits(x);
        k += (int)(bits >> 52) - 1023;
        var m = BitConverter.Int64BitsToDouble((bits & MantissaMask) | ExponentOfOne);   // in [1, 2)
        if (m > Sqrt2)
        {
            m *= 0.5;
            k += 1;
        }

        var f = m - 1.0;            // exact (Sterbenz)
        var s = f / (2.0 + f);
        var z = s * s;
        var w = z * z;
        var evens = w * (Lg2 + w * (Lg4 + w * Lg6));
        var odds = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
        var r = odds + evens;
        var halfFSquared = 0.5 * f * f;
        return k * Ln2Hi - ((halfFSquared - (s * (halfFSquared + r) + k * Ln2Lo)) - f);
    }

    /// <summary>√x, correctly rounded (IEEE-754 requires it of every platform). NaN or x &lt; 0 → NaN.</summary>
    public static double Sqrt(double x) => Math.Sqrt(x);

    /// <summary>y·2^k, exact unless the result is subnormal (then rounded once) or overflows.</summary>
    internal static double ScaleByPowerOfTwo(double y, int k)
    {
        if (k > 1023) return y * PowerOfTwo(1023) * PowerOfTwo(k - 1023);
        if (k >= -1022) return y * PowerOfTwo(k);
        return y * PowerOfTwo(k + 1000) * PowerOfTwo(-1000);
    }

    /// <summary>2^k for −1022 ≤ k ≤ 1023, built from its bit pattern.</summary>
    private static double PowerOfTwo(int k) => BitConverter.Int64BitsToDouble((long)(k + 1023) << 52);
}
