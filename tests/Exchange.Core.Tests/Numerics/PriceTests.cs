using Exchange.Core.Numerics;
using FsCheck.Xunit;

namespace Exchange.Core.Tests.Numerics;

public sealed class PriceTests
{
    private static readonly Price Tick = Price.Parse("0.5");

    [Theory]
    [InlineData("7.3", "7", "7.5")]
    [InlineData("7.5", "7.5", "7.5")]
    [InlineData("7", "7", "7")]
    [InlineData("0", "0", "0")]
    [InlineData("0.000001", "0", "0.5")]
    [InlineData("-0.000001", "-0.5", "0")]
    [InlineData("-7.3", "-7.5", "-7")]
    [InlineData("-7.5", "-7.5", "-7.5")]
    public void Ticks_should_round_down_and_up_to_the_grid(string price, string floor, string ceil)
    {
        var p = Price.Parse(price);

        Assert.Equal(Price.Parse(floor), p.FloorToTick(Tick));
        Assert.Equal(Price.Parse(ceil), p.CeilToTick(Tick));
        Assert.Equal(floor == ceil, p.IsMultipleOf(Tick));
    }

    [Fact]
    public void Ticks_should_throw_OverflowException_at_the_ends_of_the_range()
    {
        Assert.Throws<OverflowException>(() => new Price(long.MaxValue).CeilToTick(new Price(1_000)));
        Assert.Throws<OverflowException>(() => new Price(long.MinValue).FloorToTick(new Price(1_000)));
        Assert.Equal(new Price(long.MaxValue - 807), new Price(long.MaxValue).FloorToTick(new Price(1_000)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(long.MinValue)]
    public void Ticks_should_refuse_a_tick_that_is_not_positive(long tick)
    {
        var price = new Price(7);

        Assert.Throws<ArgumentOutOfRangeException>(() => price.FloorToTick(new Price(tick)));
        Assert.Throws<ArgumentOutOfRangeException>(() => price.CeilToTick(new Price(tick)));
        Assert.False(price.IsMultipleOf(new Price(tick)));
    }

    [Property(Replay = "(1901, 5557)", MaxTest = 3_000, Arbitrary = [typeof(NumericArbitraries)])]
    public void Ticks_should_bracket_the_price_with_the_nearest_multiples(TickCase c)
    {
        var price = new Price(c.Price);
        var tick = new Price(c.Tick);
        Price floor, ceil;
        try
        {
            floor = price.FloorToTick(tick);
            ceil = price.CeilToTick(tick);
        }
        catch (OverflowException)
        {
            // Only a multiple beyond the long range may fail, and only when the price is not already on the grid.
            Assert.False(price.IsMultipleOf(tick));
            Assert.True(c.Price > long.MaxValue - c.Tick || c.Price < long.MinValue + c.Tick);
            return;
        }

        Assert.True(floor <= price && price <= ceil);
        Assert.True(floor.IsMultipleOf(tick) && ceil.IsMultipleOf(tick));
        Assert.Equal(price.IsMultipleOf(tick) ? 0 : c.Tick, (decimal)ceil.Raw - floor.Raw);
    }

    [Fact]
    public void Arithmetic_should_throw_OverflowException_instead_of_wrapping()
    {
        Assert.Throws<OverflowException>(() => new Price(long.MaxValue) + new Price(1));
        Assert.Throws<OverflowException>(() => new Price(long.MinValue) - new Price(1));
        Assert.Throws<OverflowException>(() => Price.FromWhole(long.MaxValue / Price.Scale + 1));
        Assert.Throws<OverflowException>(() => new Price(long.MaxValue).MulDivCeil(2, 1));
        Assert.Throws<OverflowException>(() => new Price(long.MinValue).MulDivFloor(2, 1));
    }

    [Fact]
    public void MulDiv_should_round_in_the_direction_it_names()
    {
        var price = Price.Parse("100");

        Assert.Equal(Price.Parse("33.333333"), price.MulDivFloor(1, 3));
        Assert.Equal(Price.Parse("33.333334"), price.MulDivCeil(1, 3));
        Assert.Equal(Price.Parse("1250.5"), Price.FromWhole(1250) + Price.Parse("0.5"));
        Assert.True(Price.Parse("1") > Price.Zero && Price.Parse("1").IsPositive && !Price.Zero.IsPositive);
    }
}
