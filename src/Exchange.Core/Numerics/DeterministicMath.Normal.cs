namespace Exchange.Core.Numerics;

public static partial class DeterministicMath
{
    /// <summary>1/√(2π).</summary>
    private const double InvSqrt2Pi = 0.398942280401432677939946059934;

    /// <summary>Beyond this |x| the density and the smaller tail are below the smallest subnormal.</summary>
    private const double NormalCutoff = 40.0;

    // W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969),
    // as tabulated for the normal distribution in his ANORM (netlib specfun). Each rational
    // approximation has a relative error near 1e-18, below double precision.

    // Φ(x) − 1/2 = x·A(x²)/B(x²) for |x| ≤ 0.66291.
    private const double A0 = 2.2352520354606839287, A1 = 161.02823106855587881, A2 = 1067.6894854603709582;
    private const double A3 = 18154.981253343561249, A4 = 0.065682337918207449113;
    private const double B0 = 47.20258190468824187, B1 = 976.09855173777669322, B2 = 10260.932208618978205;
    private const double B3 = 45507.789335026729956;

    // 1 − Φ(y) = e^{−y²/2}·C(y)/D(y) for 0.66291 < y ≤ √32.
    private const double C0 = 0.39894151208813466764, C1 = 8.8831497943883759412, C2 = 93.506656132177855979;
    private const double C3 = 597.27027639480026226, C4 = 2494.5375852903726711, C5 = 6848.1904505362823326;
    private const double C6 = 11602.651437647350124, C7 = 9842.7148383839780218, C8 = 1.0765576773720192317e-8;
    private const double D0 = 22.266688044328115691, D1 = 235.38790178262499861, D2 = 1519.377599407554805;
    private const double D3 = 6485.558298266760755, D4 = 18615.571640885098091, D5 = 34900.952721145977266;
    private const double D6 = 38912.003286093271411, D7 = 19685.429676859990727;

    // 1 − Φ(y) = e^{−y²/2}/y·(1/√(2π) − z·P(z)/Q(z)) with z = 1/y², for y > √32.
    private const double P0 = 0.21589853405795699, P1 = 0.1274011611602473639, P2 = 0.022235277870649807;
    private const double P3 = 0.001421619193227893466, P4 = 2.9112874951168792e-5, P5 = 0.02307344176494017303;
    private const double Q0 = 1.28426009614491121, Q1 = 0.468238212480865118, Q2 = 0.0659881378689285515;
    private const double Q3 = 0.00378239633202758244, Q4 = 7.29751555083966205e-5;

    private const double CentralLimit = 0.66291;
    private const double Sqrt32 = 5.656854249492380195206754896838;

    /// <summary>
    /// Standard normal density φ(x) = e^{−x²/2}/√(2π), within a few ulps. x² is split so that the
    /// exponent is exact (see <see cref="ExpMinusHalfSquare"/>): a plain e^{−x·x/2} would lose up
    /// to 700 ulps at |x| = 37. NaN → NaN, ±∞ → 0, 0 for |x| ≥ 40 (the result underflows there).
    /// </summary>
    public static double NormalPdf(double x)
    {
        if (double.IsNaN(x)) return x;
        var y = Math.Abs(x);
        if (y >= NormalCutoff) return 0.0;
        return InvSqrt2Pi * ExpMinusHalfSquare(y);
    }

    /// <summary>
    /// Standard normal distribution function Φ(x) = P(Z ≤ x) by Cody's rational approximations
    /// (three ranges of |x|). The lower tail, Φ(x) for x &lt; 0, keeps full relative accuracy down
    /// to Φ(−37) ≈ 6e−300 and underflows to 0 near x = −38.5; for x &gt; 0 the result is 1 − Φ(−x)
    /// rounded once, and 1 for x ≥ 8.3. Use <c>NormalCdf(−x)</c>, not <c>1 − NormalCdf(x)</c>,
    /// for an accurate upper tail. NaN → NaN, −∞ → 0, +∞ → 1.
    /// </summary>
    public static double NormalCdf(double x)
    {
        if (double.IsNaN(x)) return x;
        var y = Math.Abs(x);
        if (y <= CentralLimit) return 0.5 + CentralOffset(x);
        var tail = y >= NormalCutoff ? 0.0 : UpperTail(y);
        return x < 0 ? tail : 1.0 - tail;
    }

    /// <summary>Φ(x) − 1/2 for |x| ≤ 0.66291.</summary>
    private static double CentralOffset(double x)
    {
        var z = x * x;
        var num = A4 * z;
        var den = z;
        num = (num + A0) * z;
        den = (den + B0) * z;
        num = (num + A1) * z;
        den = (den + B1) * z;
        num = (num + A2) * z;
        den = (den + B2) * z;
        return x * (num + A3) / (den + B3);
    }

    /// <summary>1 − Φ(y) for 0.66291 &lt; y &lt; 40.</summary>
    private static double UpperTail(double y)
    {
        double ratio;
        if (y <= Sqrt32)
        {
            var num = C8 * y;
            var den = y;
            num = (num + C0) * y; den = (den + D0) * y;
            num = (num + C1) * y; den = (den + D1) * y;
            num = (num + C2) * y; den = (den + D2) * y;
            num = (num + C3) * y; den = (den + D3) * y;
            num = (num + C4) * y; den = (den + D4) * y;
            num = (num + C5) * y; den = (den + D5) * y;
            num = (num + C6) * y; den = (den + D6) * y;
            ratio = (num + C7) / (den + D7);
        }
        else
        {
            var z = 1.0 / (y * y);
            var num = P5 * z;
            var den = z;
            num = (num + P0) * z; den = (den + Q0) * z;
            num = (num + P1) * z; den = (den + Q1) * z;
            num = (num + P2) * z; den = (den + Q2) * z;
            num = (num + P3) * z; den = (den + Q3) * z;
            ratio = (InvSqrt2Pi - z * (num + P4) / (den + Q4)) / y;
        }
        return ExpMinusHalfSquare(y) * ratio;
    }

    /// <summary>
    /// e^{−y²/2} for 0 ≤ y &lt; 40 without the rounding error of y·y: with u = ⌊16y⌋/16,
    /// y² = u² + (y − u)(y + u), where u² is exact and the small remainder is computed to a
    /// relative error of a few ulps (Cody's split).
    /// </summary>
    private static double ExpMinusHalfSquare(double y)
    {
        var u = Math.Floor(y * 16.0) / 16.0;
        var rest = (y - u) * (y + u);
        return Exp(-0.5 * u * u) * Exp(-0.5 * rest);
    }
}
