using Exchange.Core.Numerics;

namespace Exchange.Core.Tests.Numerics;

public sealed class FixedPointDivisionTests
{
    [Theory]
    [InlineData(7, 1, 2, 3, 4, 3)]
    [InlineData(-7, 1, 2, -4, -3, -3)]
    [InlineData(7, 1, -2, -4, -3, -3)]
    [InlineData(-7, 1, -2, 3, 4, 3)]
    [InlineData(6, 1, 3, 2, 2, 2)]
    [InlineData(-6, 1, 3, -2, -2, -2)]
    [InlineData(0, 5, -3, 0, 0, 0)]
    [InlineData(1, 1, 3, 0, 1, 0)]
    [InlineData(-1, 1, 3, -1, 0, 0)]
    public void MulDiv_should_round_in_the_direction_it_names(long a, long b, long d, long floor, long ceil, long truncate)
    {
        Assert.Equal(floor, FixedPoint.MulDivFloor(a, b, d));
        Assert.Equal(ceil, FixedPoint.MulDivCeil(a, b, d));
        Assert.Equal(truncate, FixedPoint.MulDivTruncate(a, b, d));
    }

    [Fact]
    public void MulDiv_should_form_the_product_without_overflowing_a_long()
    {
        Assert.Equal(long.MaxValue, FixedPoint.MulDivFloor(long.MaxValue, long.MaxValue, long.MaxValue));
        Assert.Equal(long.MinValue, FixedPoint.MulDivCeil(long.MinValue, long.MinValue, long.MinValue));
        // 3·10^12 USDC at a price of 3 million, in micro-units: the product is ~10^31.
        Assert.Equal(9_000_000_000_000_000_000, FixedPoint.MulDivFloor(3_000_000_000_000_000_000, 3_000_000, 1_000_000));
    }

    [Fact]
    public void MulDiv_should_throw_OverflowException_when_the_result_does_not_fit()
    {
        Assert.Throws<OverflowException>(() => FixedPoint.MulDivFloor(long.MaxValue, 2, 1));
        Assert.Throws<OverflowException>(() => FixedPoint.MulDivCeil(long.MaxValue, 2, 1));
        Assert.Throws<OverflowException>(() => FixedPoint.MulDivTruncate(long.MaxValue, 2, 1));
        Assert.Throws<OverflowException>(() => FixedPoint.MulDivFloor(long.MinValue, -1, 1));
        Assert.Throws<OverflowException>(() => FixedPoint.MulDivTruncate(long.MinValue, 1, -1));
        Assert.Throws<OverflowException>(() => FixedPoint.DivFloor(long.MinValue, -1));
        Assert.Throws<OverflowException>(() => FixedPoint.DivCeil(long.MinValue, -1));
    }

    [Fact]
    public void MulDiv_should_overflow_only_in_the_rounding_that_crosses_the_limit()
    {
        // (2^32-1)(2^32+1)/2 = 2^63 - 1/2: the floor is long.MaxValue, the ceiling is 2^63.
        Assert.Equal(long.MaxValue, FixedPoint.MulDivFloor(4_294_967_295, 4_294_967_297, 2));
        Assert.Equal(long.MaxValue, FixedPoint.MulDivTruncate(4_294_967_295, 4_294_967_297, 2));
        Assert.Throws<OverflowException>(() => FixedPoint.MulDivCeil(4_294_967_295, 4_294_967_297, 2));

        // -(2^64+1)/2 = -2^63 - 1/2: the ceiling is long.MinValue, the floor is one below it.
        Assert.Equal(long.MinValue, FixedPoint.MulDivCeil(-274_177, 67_280_421_310_721, 2));
        Assert.Equal(long.MinValue, FixedPoint.MulDivTruncate(-274_177, 67_280_421_310_721, 2));
        Assert.Throws<OverflowException>(() => FixedPoint.MulDivFloor(-274_177, 67_280_421_310_721, 2));
    }

    [Fact]
    public void Division_by_zero_should_throw_DivideByZeroException()
    {
        Assert.Throws<DivideByZeroException>(() => FixedPoint.MulDivFloor(1, 1, 0));
        Assert.Throws<DivideByZeroException>(() => FixedPoint.MulDivCeil(1, 1, 0));
        Assert.Throws<DivideByZeroException>(() => FixedPoint.MulDivTruncate(1, 1, 0));
        Assert.Throws<DivideByZeroException>(() => FixedPoint.MulDivFloor(0, 0, 0));
        Assert.Throws<DivideByZeroException>(() => FixedPoint.DivFloor(5, 0));
        Assert.Throws<DivideByZeroException>(() => FixedPoint.DivCeil(5, 0));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(6, 1_000_000)]
    [InlineData(18, 1_000_000_000_000_000_000)]
    public void Pow10_should_give_the_scale_for_a_number_of_decimals(int decimals, long expected)
    {
        Assert.Equal(expected, FixedPoint.Pow10(decimals));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(19)]
    public void Pow10_should_refuse_decimals_outside_0_to_18(int decimals)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.Pow10(decimals));
    }
}
