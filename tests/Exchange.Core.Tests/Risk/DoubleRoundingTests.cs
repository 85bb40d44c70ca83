using System.Numerics;
using Exchange.Core.Numerics;
using Exchange.Core.Tests.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Exchange.Core.Tests.Risk;

/// <summary>A finite double and a positive scale.</summary>
public sealed record ScaledDouble(double Value, long Scale)
{
    public override string ToString() => $"{Value:R} × {Scale}";
}

public static class DoubleRoundingArbitraries
{
    private static readonly Gen<double> AnyFinite =
        Gen.Choose(int.MinValue, int.MaxValue).Two()
            .Select(t => BitConverter.Int64BitsToDouble(((long)t.Item1 << 32) | (uint)t.Item2))
            .Where(double.IsFinite);

    /// <summary>Prices written in decimal, the values a 4.759422-style premium comes from.</summary>
    private static readonly Gen<double> Decimal6 =
        Gen.Choose(-2_000_000_000, 2_000_000_000).Select(raw => raw / 1e6);

    private static readonly Gen<double> Magnitudes =
        from mantissa in Gen.Choose(-1_000_000, 1_000_000)
        from exponent in Gen.Choose(-80, 80)
        select mantissa * Math.Pow(2, exponent) / 997.0;

    public static Arbitrary<ScaledDouble> ScaledDoubles() => Arb.From(
        from value in Gen.Frequency((1, AnyFinite), (3, Decimal6), (3, Magnitudes), (1, Gen.Elements(0.0, -0.0, double.Epsilon, -double.Epsilon, 0.1, 4.759422, 1e12)))
        from scale in Gen.Elements(1L, 10L, 7L, 1_000_000L, 1_000_000_000_000_000_000L)
        select new ScaledDouble(value, scale));
}

/// <summary>DoubleRounding against exact rational arithmetic in BigInteger.</summary>
public sealed class DoubleRoundingTests
{
    private const int Cases = 3_000;

    [Property(Replay = "(4101, 2719)", MaxTest = Cases, Arbitrary = [typeof(DoubleRoundingArbitraries)])]
    public void ToRawFloor_should_be_the_greatest_long_not_above_the_exact_product(ScaledDouble c)
    {
        var expected = Exact(c, Rational.Floor);
        if (Rational.FitsInLong(expected)) Assert.Equal(expected, (BigInteger)DoubleRounding.ToRawFloor(c.Value, c.Scale));
        else Assert.Throws<OverflowException>(() => DoubleRounding.ToRawFloor(c.Value, c.Scale));
    }

    [Property(Replay = "(4102, 2719)", MaxTest = Cases, Arbitrary = [typeof(DoubleRoundingArbitraries)])]
    public void ToRawCeil_should_be_the_least_long_not_below_the_exact_product(ScaledDouble c)
    {
        var expected = Exact(c, Rational.Ceiling);
        if (Rational.FitsInLong(expected)) Assert.Equal(expected, (BigInteger)DoubleRounding.ToRawCeil(c.Value, c.Scale));
        else Assert.Throws<OverflowException>(() => DoubleRounding.ToRawCeil(c.Value, c.Scale));
    }

    [Fact]
    public void Rounding_should_start_from_the_exact_double_not_its_decimal_spelling()
    {
        // The double nearest 0.1 is 0.1000000000000000055…, so a charge of "0.1" rounds up past 100000.
        Assert.Equal(100_000, DoubleRounding.ToRawFloor(0.1, Money.Scale));
        Assert.Equal(100_001, DoubleRounding.ToRawCeil(0.1, Money.Scale));
        // 0.3 is stored as 0.2999999999999999888…: the floor is one micro-unit below the spelling.
        Assert.Equal(299_999, DoubleRounding.ToRawFloor(0.3, Money.Scale));
        Assert.Equal(300_000, DoubleRounding.ToRawCeil(0.3, Money.Scale));
        Assert.Equal(1_500_000, DoubleRounding.ToRawFloor(1.5, Money.Scale));
        Assert.Equal(1_500_000, DoubleRounding.ToRawCeil(1.5, Money.Scale));
    }

    [Fact]
    public void Negative_values_should_round_toward_the_named_infinity()
    {
        Assert.Equal(-1_500_000, DoubleRounding.ToRawCeil(-1.5, Money.Scale));
        Assert.Equal(-100_001, DoubleRounding.ToRawFloor(-0.1, Money.Scale));
        Assert.Equal(-100_000, DoubleRounding.ToRawCeil(-0.1, Money.Scale));
        Assert.Equal(-1, DoubleRounding.ToRawFloor(-double.Epsilon, Money.Scale));
        Assert.Equal(0, DoubleRounding.ToRawCeil(-double.Epsilon, Money.Scale));
        Assert.Equal(1, DoubleRounding.ToRawCeil(double.Epsilon, Money.Scale));
    }

    [Fact]
    public void Price_helpers_should_round_to_whole_micro_usd()
    {
        Assert.Equal(new Price(4_759_422), DoubleRounding.ToPriceFloor(4.7594223));
        Assert.Equal(new Price(4_759_423), DoubleRounding.ToPriceCeil(4.7594223));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_values_should_be_refused(double value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DoubleRounding.ToRawFloor(value, Money.Scale));
        Assert.Throws<ArgumentOutOfRangeException>(() => DoubleRounding.ToRawCeil(value, Money.Scale));
    }

    [Theory]
    [InlineData(9.3e12)]
    [InlineData(-9.3e12)]
    [InlineData(1e300)]
    [InlineData(double.MaxValue)]
    public void Values_beyond_the_long_range_should_overflow_not_wrap(double value)
    {
        Assert.Throws<OverflowException>(() => DoubleRounding.ToRawFloor(value, Money.Scale));
        Assert.Throws<OverflowException>(() => DoubleRounding.ToRawCeil(value, Money.Scale));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void A_scale_that_is_not_positive_should_be_refused(long scale) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DoubleRounding.ToRawFloor(1.0, scale));

    /// <summary>value·scale rounded by <paramref name="round"/>, from the double's exact value m·2^e.</summary>
    private static BigInteger Exact(ScaledDouble c, Func<BigInteger, BigInteger, BigInteger> round)
    {
        var bits = BitConverter.DoubleToInt64Bits(c.Value);
        var biased = (int)((bits >> 52) & 0x7FF);
        BigInteger mantissa = (bits & 0x000FFFFFFFFFFFFF) | (biased == 0 ? 0 : 1L << 52);
        if (bits < 0) mantissa = -mantissa;
        var exponent = (biased == 0 ? 1 : biased) - 1075;
        var numerator = mantissa * c.Scale;
        return exponent >= 0 ? numerator << exponent : round(numerator, BigInteger.One << -exponent);
    }
}
