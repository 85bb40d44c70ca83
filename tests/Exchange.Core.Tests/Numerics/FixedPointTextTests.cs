using Exchange.Core.Numerics;

namespace Exchange.Core.Tests.Numerics;

/// <summary>The decimal strings the API accepts and emits for 6-decimal amounts.</summary>
public sealed class FixedPointTextTests
{
    [Theory]
    [InlineData(1_500_000, "1.5")]
    [InlineData(100_000_000, "100")]
    [InlineData(-1, "-0.000001")]
    [InlineData(0, "0")]
    [InlineData(-1_500_000, "-1.5")]
    [InlineData(1_000_001, "1.000001")]
    [InlineData(10_000, "0.01")]
    [InlineData(long.MaxValue, "9223372036854.775807")]
    [InlineData(-long.MaxValue, "-9223372036854.775807")]
    [InlineData(long.MinValue, "-9223372036854.775808")]
    public void Format_should_write_canonical_text(long raw, string expected)
    {
        Assert.Equal(expected, FixedPoint.Format(raw, 6));
    }

    [Theory]
    [InlineData(42, 0, "42")]
    [InlineData(-42, 0, "-42")]
    [InlineData(1, 18, "0.000000000000000001")]
    [InlineData(long.MinValue, 18, "-9.223372036854775808")]
    [InlineData(150, 2, "1.5")]
    public void Format_should_honour_the_number_of_decimals(long raw, int decimals, string expected)
    {
        Assert.Equal(expected, FixedPoint.Format(raw, decimals));
    }

    [Theory]
    [InlineData("1.5", 1_500_000)]
    [InlineData("100", 100_000_000)]
    [InlineData("-0.000001", -1)]
    [InlineData("0", 0)]
    [InlineData("1.50", 1_500_000)]
    [InlineData("0.000001", 1)]
    [InlineData("9223372036854.775807", long.MaxValue)]
    [InlineData("-9223372036854.775807", -long.MaxValue)]
    public void TryParse_should_read_plain_decimal_text(string text, long expected)
    {
        Assert.True(FixedPoint.TryParse(text, 6, out var raw, out var error), error);
        Assert.Equal(expected, raw);
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("-", "sign without digits")]
    [InlineData("1e5", "not a plain decimal number")]
    [InlineData("1E5", "not a plain decimal number")]
    [InlineData(" 1", "not a plain decimal number")]
    [InlineData("1 ", "not a plain decimal number")]
    [InlineData("+1", "not a plain decimal number")]
    [InlineData("--1", "not a plain decimal number")]
    [InlineData("1.", "no digits after the decimal point")]
    [InlineData(".5", "no digits before the decimal point")]
    [InlineData("-.5", "no digits before the decimal point")]
    [InlineData("1.0000001", "more than 6 decimal places")]
    [InlineData("0.0000000", "more than 6 decimal places")]
    [InlineData("NaN", "not a plain decimal number")]
    [InlineData("Infinity", "not a plain decimal number")]
    [InlineData("-Infinity", "not a plain decimal number")]
    [InlineData("9223372036854.775808", "out of range")]
    [InlineData("-9223372036854.775808", "out of range")]
    [InlineData("99999999999999999999999999999999999999999999", "out of range")]
    [InlineData("\uFF11", "not a plain decimal number")]
    [InlineData("\u0661", "not a plain decimal number")]
    [InlineData("1,5", "not a plain decimal number")]
    [InlineData("1.2.3", "not a plain decimal number")]
    [InlineData("0x10", "not a plain decimal number")]
    public void TryParse_should_reject_anything_but_a_plain_decimal_with_a_reason(string text, string reason)
    {
        var ok = FixedPoint.TryParse(text, 6, out var raw, out var error);

        Assert.False(ok, $"'{text}' was accepted as {raw}");
        Assert.Equal(0, raw);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void TryParse_should_reject_a_very_long_number_quickly_without_overflowing()
    {
        var text = new string('9', 100_000);

        Assert.False(FixedPoint.TryParse(text, 6, out _, out var error));
        Assert.Contains("out of range", error);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(19)]
    [InlineData(40)]
    [InlineData(128)]
    public void TryParse_should_refuse_a_number_of_decimals_outside_0_to_18(int decimals)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.TryParse("1", decimals, out _, out _));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(19)]
    public void Format_should_refuse_a_number_of_decimals_outside_0_to_18(int decimals)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.Format(1, decimals));
    }

    [Fact]
    public void Parse_should_throw_FormatException_that_quotes_the_text_and_the_reason()
    {
        var money = Assert.Throws<FormatException>(() => Money.Parse("1.0000001"));
        var price = Assert.Throws<FormatException>(() => Price.Parse("1e5"));
        var quantity = Assert.Throws<FormatException>(() => Quantity.Parse(""));

        Assert.Equal("invalid amount '1.0000001': more than 6 decimal places", money.Message);
        Assert.Contains("'1e5'", price.Message);
        Assert.Contains("not a plain decimal number", price.Message);
        Assert.Contains("empty number", quantity.Message);
    }

    [Fact]
    public void Typed_amounts_should_parse_and_print_the_same_text()
    {
        Assert.Equal(new Money(12_345_678), Money.Parse("12.345678"));
        Assert.Equal(new Price(1_250_500_000), Price.Parse("1250.5"));
        Assert.Equal(new Quantity(-500_000), Quantity.Parse("-0.5"));
        Assert.Equal("12.345678", new Money(12_345_678).ToString());
        Assert.Equal("1250.5", new Price(1_250_500_000).ToString());
        Assert.Equal("-0.5", new Quantity(-500_000).ToString());

        Assert.False(Money.TryParse("abc", out var m, out var e));
        Assert.Equal(Money.Zero, m);
        Assert.NotEmpty(e);
    }
}
