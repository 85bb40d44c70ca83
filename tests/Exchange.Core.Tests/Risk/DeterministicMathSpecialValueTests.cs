using Exchange.Core.Numerics;

namespace Exchange.Core.Tests.Risk;

/// <summary>NaN, infinities, zeros, domain errors and the edges of the range, as the doc comments promise.</summary>
public sealed class DeterministicMathSpecialValueTests
{
    [Theory]
    [InlineData(double.NaN, double.NaN)]
    [InlineData(double.PositiveInfinity, double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity, 0.0)]
    [InlineData(0.0, 1.0)]
    [InlineData(709.79, double.PositiveInfinity)]
    [InlineData(-745.14, 0.0)]
    [InlineData(-1e6, 0.0)]
    [InlineData(1e6, double.PositiveInfinity)]
    public void Exp_should_give_the_limits_at_special_values(double x, double expected) =>
        Assert.Equal(expected, DeterministicMath.Exp(x));

    [Fact]
    public void Exp_and_Ln_should_treat_negative_zero_as_zero()
    {
        Assert.Equal(1.0, DeterministicMath.Exp(-0.0));
        Assert.Equal(double.NegativeInfinity, DeterministicMath.Ln(-0.0));
    }

    [Fact]
    public void Exp_should_reach_the_largest_double_and_the_smallest_subnormal()
    {
        Assert.Equal(1.7976931348622732e308, DeterministicMath.Exp(709.782712893384), 1e294);
        Assert.True(double.IsFinite(DeterministicMath.Exp(709.782712893384)));
        Assert.Equal(double.Epsilon, DeterministicMath.Exp(-745.13));
    }

    [Theory]
    [InlineData(double.NaN, double.NaN)]
    [InlineData(-1.0, double.NaN)]
    [InlineData(double.NegativeInfinity, double.NaN)]
    [InlineData(0.0, double.NegativeInfinity)]
    [InlineData(double.PositiveInfinity, double.PositiveInfinity)]
    [InlineData(1.0, 0.0)]
    [InlineData(double.Epsilon, -744.4400719213812)]
    [InlineData(double.MaxValue, 709.782712893384)]
    public void Ln_should_give_the_limits_at_special_values(double x, double expected) =>
        Assert.Equal(expected, DeterministicMath.Ln(x));

    [Theory]
    [InlineData(2.0)]
    [InlineData(0.5)]
    [InlineData(1024.0)]
    [InlineData(9.765625e-4)]
    public void Ln_of_a_power_of_two_should_be_a_multiple_of_ln2_to_the_ulp(double x)
    {
        var k = Math.Round(Math.Log2(x));
        Assert.Equal(k * 0.6931471805599453, DeterministicMath.Ln(x), Math.Abs(k) * 1.2e-16);
    }

    [Theory]
    [InlineData(double.NaN, double.NaN)]
    [InlineData(double.NegativeInfinity, 0.0)]
    [InlineData(double.PositiveInfinity, 1.0)]
    [InlineData(0.0, 0.5)]
    [InlineData(-40.0, 0.0)]
    [InlineData(-1e300, 0.0)]
    [InlineData(8.3, 1.0)]
    [InlineData(1e300, 1.0)]
    public void NormalCdf_should_give_the_limits_at_special_values(double x, double expected) =>
        Assert.Equal(expected, DeterministicMath.NormalCdf(x));

    [Theory]
    [InlineData(double.NaN, double.NaN)]
    [InlineData(double.NegativeInfinity, 0.0)]
    [InlineData(double.PositiveInfinity, 0.0)]
    [InlineData(40.0, 0.0)]
    [InlineData(-1e300, 0.0)]
    [InlineData(0.0, 0.3989422804014327)]
    public void NormalPdf_should_give_the_limits_at_special_values(double x, double expected) =>
        Assert.Equal(expected, DeterministicMath.NormalPdf(x));

    [Fact]
    public void NormalCdf_should_underflow_gradually_not_abruptly_in_the_far_lower_tail()
    {
        var previous = DeterministicMath.NormalCdf(-37.0);
        Assert.InRange(previous, 5.7e-300, 5.8e-300);
        for (var x = -37.01; x > -38.6; x -= 0.01)
        {
            var value = DeterministicMath.NormalCdf(x);
            Assert.True(value <= previous && value >= 0, $"Φ({x}) = {value:R} after {previous:R}");
            previous = value;
        }
        Assert.Equal(0.0, previous);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(2.0)]
    [InlineData(1e-300)]
    [InlineData(1e300)]
    public void Sqrt_should_be_the_correctly_rounded_square_root(double x) =>
        Assert.Equal(Math.Sqrt(x), DeterministicMath.Sqrt(x));
}
