using Exchange.Core.Numerics;

namespace Exchange.Core.Tests.Numerics;

public sealed class QuantityTests
{
    [Fact]
    public void Arithmetic_should_throw_OverflowException_instead_of_wrapping()
    {
        var one = new Quantity(1);

        Assert.Throws<OverflowException>(() => new Quantity(long.MaxValue) + one);
        Assert.Throws<OverflowException>(() => new Quantity(long.MinValue) - one);
        Assert.Throws<OverflowException>(() => -new Quantity(long.MinValue));
        Assert.Throws<OverflowException>(() => Quantity.FromWhole(long.MaxValue / Quantity.Scale + 1));
    }

    [Fact]
    public void Arithmetic_should_be_exact_within_range()
    {
        Assert.Equal(Quantity.Parse("1.5"), Quantity.FromWhole(1) + Quantity.Parse("0.5"));
        Assert.Equal(Quantity.Parse("-0.5"), Quantity.Parse("1") - Quantity.Parse("1.5"));
        Assert.Equal(Quantity.Parse("-2"), -Quantity.FromWhole(2));
        Assert.Equal(Quantity.Parse("0.25"), Quantity.Min(Quantity.Parse("0.25"), Quantity.Parse("3")));
        Assert.True(Quantity.Zero.IsZero && !Quantity.Zero.IsPositive && Quantity.Parse("0.000001").IsPositive);
    }

    [Theory]
    [InlineData("1.5", "0.5", true)]
    [InlineData("1.5", "1", false)]
    [InlineData("-1.5", "0.5", true)]
    [InlineData("0", "0.1", true)]
    [InlineData("1", "0", false)]
    [InlineData("1", "-1", false)]
    public void IsMultipleOf_should_require_a_positive_lot_that_divides_the_quantity(string quantity, string lot, bool expected)
    {
        Assert.Equal(expected, Quantity.Parse(quantity).IsMultipleOf(Quantity.Parse(lot)));
    }

    [Fact]
    public void IsMultipleOf_should_handle_the_most_negative_quantity()
    {
        Assert.True(new Quantity(long.MinValue).IsMultipleOf(new Quantity(2)));
        Assert.False(new Quantity(long.MinValue).IsMultipleOf(new Quantity(3)));
    }
}
