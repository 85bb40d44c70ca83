using System.Numerics;

namespace Exchange.Core.Tests.Numerics;

/// <summary>Exact reference arithmetic for checking rounded integer division.</summary>
internal static class Rational
{
    /// <summary>The sign of q − p/d, computed without rounding.</summary>
    public static int CompareToQuotient(BigInteger q, BigInteger p, BigInteger d) => (q * d - p).Sign * d.Sign;

    public static BigInteger Floor(BigInteger p, BigInteger d)
    {
        var q = BigInteger.DivRem(p, d, out var r);
        return !r.IsZero && (r.Sign != d.Sign) ? q - 1 : q;
    }

    public static BigInteger Ceiling(BigInteger p, BigInteger d)
    {
        var q = BigInteger.DivRem(p, d, out var r);
        return !r.IsZero && (r.Sign == d.Sign) ? q + 1 : q;
    }

    public static bool FitsInLong(BigInteger x) => x >= long.MinValue && x <= long.MaxValue;
}
