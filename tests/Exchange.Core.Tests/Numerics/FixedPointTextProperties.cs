using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Exchange.Core.Numerics;
using FsCheck.Xunit;

namespace Exchange.Core.Tests.Numerics;

public sealed partial class FixedPointTextProperties
{
    [Property(Replay = "(1701, 3141)", MaxTest = 3_000, Arbitrary = [typeof(NumericArbitraries)])]
    public void Format_then_TryParse_should_give_back_every_long_but_MinValue(RawAmount x)
    {
        var text = FixedPoint.Format(x.Raw, x.Decimals);

        Assert.True(FixedPoint.TryParse(text, x.Decimals, out var raw, out var error), $"'{text}': {error}");
        Assert.Equal(x.Raw, raw);
        Assert.Equal(text, FixedPoint.Format(raw, x.Decimals));
    }

    [Property(Replay = "(1702, 3141)", MaxTest = 3_000, Arbitrary = [typeof(NumericArbitraries)])]
    public void Format_should_agree_with_decimal_formatting(RawAmount x)
    {
        // System.Decimal holds any long divided by 10^18 exactly, so it serves as an independent oracle.
        var value = x.Raw / Pow10Decimal(x.Decimals);
        var expected = value.ToString("0.##################", CultureInfo.InvariantCulture);

        Assert.Equal(expected, FixedPoint.Format(x.Raw, x.Decimals));
    }

    [Property(Replay = "(1703, 3141)", MaxTest = 5_000, Arbitrary = [typeof(NumericArbitraries)])]
    public void TryParse_should_accept_exactly_plain_decimals_in_range(Candidate c)
    {
        var expected = Reference(c.Text);

        var ok = FixedPoint.TryParse(c.Text, 6, out var raw, out var error);

        Assert.Equal(expected.HasValue, ok);
        if (ok)
        {
            Assert.Equal(expected!.Value, raw);
            Assert.Equal("", error);
        }
        else
        {
            Assert.Equal(0, raw);
            Assert.False(string.IsNullOrWhiteSpace(error), "rejected without a reason");
        }
    }

    /// <summary>What the API promises: ASCII digits, an optional leading '-', at most 6 decimals, |value| ≤ long.MaxValue.</summary>
    private static long? Reference(string text)
    {
        var m = PlainDecimal().Match(text);
        if (!m.Success) return null;
        var whole = BigInteger.Parse(m.Groups["whole"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
        var fraction = BigInteger.Parse(m.Groups["fraction"].Value.PadRight(6, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        var magnitude = whole * 1_000_000 + fraction;
        if (magnitude > long.MaxValue) return null;
        return (long)(m.Groups["sign"].Value == "-" ? -magnitude : magnitude);
    }

    [GeneratedRegex(@"^(?<sign>-?)(?<whole>[0-9]+)(\.(?<fraction>[0-9]{1,6}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainDecimal();

    private static decimal Pow10Decimal(int decimals)
    {
        var p = 1m;
        for (var i = 0; i < decimals; i++) p *= 10;
        return p;
    }
}
