using System.Numerics;
using Exchange.Core.Numerics;
using FsCheck.Xunit;

namespace Exchange.Core.Tests.Numerics;

public sealed class MoneyTests
{
    private static readonly Money OneMicro = new(1);

    [Fact]
    public void Arithmetic_should_throw_OverflowException_instead_of_wrapping()
    {
        var max = new Money(long.MaxValue);
        var min = new Money(long.MinValue);

        Assert.Throws<OverflowException>(() => max + OneMicro);
        Assert.Throws<OverflowException>(() => min - OneMicro);
        Assert.Throws<OverflowException>(() => -min);
        Assert.Throws<OverflowException>(() => Money.FromWhole(long.MaxValue / Money.Scale + 1));
        Assert.Throws<OverflowException>(() => Money.FromWhole(long.MinValue / Money.Scale - 1));
        Assert.Throws<OverflowException>(() => max.MulDivFloor(3, 2));
        Assert.Throws<OverflowException>(() => max.MulDivCeil(3, 2));
    }

    [Fact]
    public void Arithmetic_should_be_exact_up_to_the_limits()
    {
        Assert.Equal(new Money(long.MaxValue), new Money(long.MaxValue - 1) + OneMicro);
        Assert.Equal(new Money(long.MinValue), new Money(long.MinValue + 1) - OneMicro);
        Assert.Equal(new Money(-long.MaxValue), -new Money(long.MaxValue));
        Assert.Equal(new Money(9_223_372_036_854_000_000), Money.FromWhole(9_223_372_036_854));
        Assert.Equal(Money.Parse("12.5"), Money.FromWhole(10) + Money.Parse("2.5"));
    }

    [Fact]
    public void MulDiv_should_round_payouts_down_and_charges_up()
    {
        var balance = Money.Parse("10");

        Assert.Equal(Money.Parse("3.333333"), balance.MulDivFloor(1, 3));
        Assert.Equal(Money.Parse("3.333334"), balance.MulDivCeil(1, 3));
        Assert.Equal(Money.Parse("-3.333334"), (-balance).MulDivFloor(1, 3));
        Assert.Equal(Money.Parse("-3.333333"), (-balance).MulDivCeil(1, 3));
        Assert.Throws<DivideByZeroException>(() => balance.MulDivFloor(1, 0));
    }

    [Fact]
    public void Notional_of_the_smallest_price_and_half_a_contract_should_round_to_0_or_1_micro()
    {
        var price = Price.Parse("0.000001");
        var half = Quantity.Parse("0.5");

        Assert.Equal(Money.Zero, Money.NotionalFloor(price, half));
        Assert.Equal(OneMicro, Money.NotionalCeil(price, half));
        Assert.Equal(-OneMicro, Money.NotionalFloor(price, -half));
        Assert.Equal(Money.Zero, Money.NotionalCeil(price, -half));
    }

    [Theory]
    [InlineData("1250.5", "2", "2501")]
    [InlineData("0.5", "0.000002", "0.000001")]
    [InlineData("60000", "0.000001", "0.06")]
    [InlineData("1.333333", "3", "3.999999")]
    public void Notional_should_be_exact_when_price_times_quantity_is_whole_micro_units(string price, string quantity, string notional)
    {
        var floor = Money.NotionalFloor(Price.Parse(price), Quantity.Parse(quantity));
        var ceil = Money.NotionalCeil(Price.Parse(price), Quantity.Parse(quantity));

        Assert.Equal(Money.Parse(notional), floor);
        Assert.Equal(Money.Parse(notional), ceil);
    }

    [Fact]
    public void Notional_should_use_a_wide_product_and_throw_only_when_the_result_overflows()
    {
        // 9·10^12 per contract times 10^6 contracts overflows the product in a long but not the Int128 used.
        var price = Price.FromWhole(9_000_000);
        Assert.Equal(Money.FromWhole(9_000_000_000_000), Money.NotionalFloor(price, Quantity.FromWhole(1_000_000)));
        Assert.Throws<OverflowException>(() => Money.NotionalCeil(new Price(long.MaxValue), Quantity.FromWhole(2)));
        Assert.Throws<OverflowException>(() => Money.NotionalFloor(new Price(long.MaxValue), new Quantity(-2_000_000)));
    }

    [Property(Replay = "(1801, 4243)", MaxTest = 3_000, Arbitrary = [typeof(NumericArbitraries)])]
    public void Notional_ceiling_should_exceed_the_floor_by_at_most_one_micro(MulDivCase c)
    {
        var price = new Price(c.A);
        var quantity = new Quantity(c.B);
        var exact = (BigInteger)c.A * c.B;
        var floor = Rational.Floor(exact, Quantity.Scale);
        var ceil = Rational.Ceiling(exact, Quantity.Scale);
        if (!Rational.FitsInLong(floor) || !Rational.FitsInLong(ceil))
        {
            Assert.Throws<OverflowException>(() => Rational.FitsInLong(floor)
                ? Money.NotionalCeil(price, quantity)
                : Money.NotionalFloor(price, quantity));
            return;
        }

        var f = Money.NotionalFloor(price, quantity);
        var k = Money.NotionalCeil(price, quantity);

        Assert.Equal(floor, (BigInteger)f.Raw);
        Assert.Equal(ceil, (BigInteger)k.Raw);
        Assert.Equal(exact % Quantity.Scale == 0 ? 0 : 1, (BigInteger)k.Raw - f.Raw);
        // Rounding down for the seller and up for the buyer mirror each other: floor(x) = -ceil(-x).
        if (c.B != long.MinValue) Assert.Equal(f, -Money.NotionalCeil(price, -quantity));
    }

    [Fact]
    public void Comparison_min_and_max_should_follow_the_raw_amount()
    {
        var a = Money.Parse("-1");
        var b = Money.Parse("2");

        Assert.True(a < b && b > a && a <= b && b >= a && a <= Money.Parse("-1") && a >= Money.Parse("-1"));
        Assert.Equal(a, Money.Min(a, b));
        Assert.Equal(b, Money.Max(a, b));
        Assert.True(a.IsNegative && !a.IsPositive && b.IsPositive && !Money.Zero.IsPositive && !Money.Zero.IsNegative);
        Assert.Equal([a, Money.Zero, b], new[] { b, a, Money.Zero }.Order());
    }
}
