using System.Numerics;
using Exchange.Core.Numerics;
using FsCheck.Xunit;

namespace Exchange.Core.Tests.Numerics;

/// <summary>
/// Rounded division against exact rational arithmetic in BigInteger: floor ≤ a·b/d ≤ ceil, each
/// as tight as possible, equal exactly when d divides a·b, and an OverflowException, never a
/// wrapped value, when the rounded result does not fit in a long.
/// </summary>
public sealed class FixedPointDivisionProperties
{
    private const int Cases = 3_000;

    [Property(Replay = "(1601, 2719)", MaxTest = Cases, Arbitrary = [typeof(NumericArbitraries)])]
    public void MulDivFloor_should_be_the_greatest_long_not_above_the_exact_quotient(MulDivCase c)
    {
        var p = (BigInteger)c.A * c.B;
        if (!Rational.FitsInLong(Rational.Floor(p, c.D)))
        {
            Assert.Throws<OverflowException>(() => FixedPoint.MulDivFloor(c.A, c.B, c.D));
            return;
        }

        BigInteger q = FixedPoint.MulDivFloor(c.A, c.B, c.D);

        Assert.True(Rational.CompareToQuotient(q, p, c.D) <= 0, "floor is above the exact quotient");
        Assert.True(Rational.CompareToQuotient(q + 1, p, c.D) > 0, "floor is not the greatest such integer");
        Assert.Equal(p % c.D == 0, Rational.CompareToQuotient(q, p, c.D) == 0);
    }

    [Property(Replay = "(1602, 2719)", MaxTest = Cases, Arbitrary = [typeof(NumericArbitraries)])]
    public void MulDivCeil_should_be_the_least_long_not_below_the_exact_quotient(MulDivCase c)
    {
        var p = (BigInteger)c.A * c.B;
        if (!Rational.FitsInLong(Rational.Ceiling(p, c.D)))
        {
            Assert.Throws<OverflowException>(() => FixedPoint.MulDivCeil(c.A, c.B, c.D));
            return;
        }

        BigInteger q = FixedPoint.MulDivCeil(c.A, c.B, c.D);

        Assert.True(Rational.CompareToQuotient(q, p, c.D) >= 0, "ceiling is below the exact quotient");
        Assert.True(Rational.CompareToQuotient(q - 1, p, c.D) < 0, "ceiling is not the least such integer");
        Assert.Equal(p % c.D == 0, Rational.CompareToQuotient(q, p, c.D) == 0);
    }

    [Property(Replay = "(1603, 2719)", MaxTest = Cases, Arbitrary = [typeof(NumericArbitraries)])]
    public void MulDivFloor_and_MulDivCeil_should_agree_exactly_when_the_division_is_exact(MulDivCase c)
    {
        var p = (BigInteger)c.A * c.B;
        var floor = Rational.Floor(p, c.D);
        var ceil = Rational.Ceiling(p, c.D);
        if (!Rational.FitsInLong(floor) || !Rational.FitsInLong(ceil)) return;

        var f = FixedPoint.MulDivFloor(c.A, c.B, c.D);
        var k = FixedPoint.MulDivCeil(c.A, c.B, c.D);

        Assert.Equal(p % c.D == 0 ? 0 : 1, (BigInteger)k - f);
    }

    [Property(Replay = "(1604, 2719)", MaxTest = Cases, Arbitrary = [typeof(NumericArbitraries)])]
    public void MulDivTruncate_should_round_toward_zero(MulDivCase c)
    {
        var p = (BigInteger)c.A * c.B;
        var expected = BigInteger.Divide(p, c.D);
        if (!Rational.FitsInLong(expected))
        {
            Assert.Throws<OverflowException>(() => FixedPoint.MulDivTruncate(c.A, c.B, c.D));
            return;
        }

        Assert.Equal(expected, (BigInteger)FixedPoint.MulDivTruncate(c.A, c.B, c.D));
    }

    [Property(Replay = "(1605, 2719)", MaxTest = Cases, Arbitrary = [typeof(NumericArbitraries)])]
    public void DivFloor_and_DivCeil_should_match_exact_rounding(MulDivCase c)
    {
        var floor = Rational.Floor(c.A, c.D);
        var ceil = Rational.Ceiling(c.A, c.D);

        if (Rational.FitsInLong(floor)) Assert.Equal(floor, (BigInteger)FixedPoint.DivFloor(c.A, c.D));
        else Assert.Throws<OverflowException>(() => FixedPoint.DivFloor(c.A, c.D));

        if (Rational.FitsInLong(ceil)) Assert.Equal(ceil, (BigInteger)FixedPoint.DivCeil(c.A, c.D));
        else Assert.Throws<OverflowException>(() => FixedPoint.DivCeil(c.A, c.D));
    }
}
