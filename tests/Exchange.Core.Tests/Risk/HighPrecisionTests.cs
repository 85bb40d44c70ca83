using System.Numerics;

namespace Exchange.Core.Tests.Risk;

/// <summary>
/// The reference itself, against digits computed separately (π, ln 2, e and ln 10 as published;
/// φ and Φ with mpmath at 50 significant digits), so a bug in it cannot hide a bug in the code it checks.
/// </summary>
public sealed class HighPrecisionTests
{
    private const int Bits = 200;

    [Theory]
    [InlineData("pi", "3.14159265358979323846264338327950288419716939937510")]
    [InlineData("ln2", "0.69314718055994530941723212145817656807550013436025")]
    [InlineData("e", "2.71828182845904523536028747135266249775724709369995")]
    [InlineData("ln10", "2.30258509299404568401799145468436420760110148862877")]
    [InlineData("pdf(1)", "0.24197072451914334979783019293556065482867197073744")]
    [InlineData("cdf(-1)", "0.15865525393145705141476745436796207752208703327340")]
    [InlineData("cdf(1.5)", "0.93319279873114193399550595902011392047710481433878")]
    public void Reference_should_match_published_digits(string name, string digits)
    {
        var value = name switch
        {
            "pi" => HighPrecision.Pi(Bits),
            "ln2" => HighPrecision.Ln2(Bits),
            "e" => HighPrecision.Exp(1, Bits),
            "ln10" => HighPrecision.Ln(10, Bits),
            "pdf(1)" => HighPrecision.NormalPdf(1, Bits),
            "cdf(-1)" => HighPrecision.NormalCdf(-1, Bits),
            "cdf(1.5)" => HighPrecision.NormalCdf(1.5, Bits),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        Assert.Equal(digits[..45], ToDecimal(value, Bits, 43));
    }

    [Theory]
    [InlineData(-10.0, -24, "7619853024160526065973343251599308363504")]
    [InlineData(-37.0, -300, "5725571222524576822683192548273201656432")]
    public void Reference_lower_tail_should_match_mpmath_far_out(double x, int decimalExponent, string digits)
    {
        var bits = HighPrecision.BitsFor(Math.Pow(10, decimalExponent));
        var value = HighPrecision.NormalCdf(x, bits);

        var leading = value * BigInteger.Pow(10, digits.Length - 1 - decimalExponent) >> bits;
        Assert.Equal(digits, leading.ToString());
    }

    /// <summary>A non-negative fixed-point value as decimal text with the given number of fractional digits, truncated.</summary>
    private static string ToDecimal(BigInteger raw, int bits, int digits)
    {
        var whole = raw >> bits;
        var fraction = raw - (whole << bits);
        var scaled = fraction * BigInteger.Pow(10, digits) >> bits;
        return $"{whole}.{scaled.ToString().PadLeft(digits, '0')}";
    }
}
