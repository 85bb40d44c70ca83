using Exchange.Core.Numerics;
using Xunit.Abstractions;

namespace Exchange.Core.Tests.Risk;

/// <summary>
/// DeterministicMath against references it shares nothing with: <see cref="HighPrecision"/> series
/// (about 130 significant bits) at a few thousand points, and the platform's Math.Exp/Math.Log over
/// wide sweeps. Errors are in ulps of the exact value; 1 ulp is a relative error of at most 2^−52
/// ≈ 2.2e−16, so every bound here is far inside the 1e−12 the pricing code asks for. Each test
/// prints the worst case it saw.
/// </summary>
public sealed class DeterministicMathAccuracyTests(ITestOutputHelper output)
{
    private const int Seed = 20_250_301;

    [Fact]
    public void Exp_should_be_within_one_ulp_of_the_exact_value_from_underflow_to_overflow()
    {
        var random = new Random(Seed);
        double[] fixedPoints = [0, 1e-300, -1e-300, 1e-9, 0.5, -0.5, 0.34657359027997264, -0.34657359027997264, 1, -1, 2, 10, -10,
            100, -100, 700, -700, 709.78, -708.3964185322641, -708.4, -720, -745.1];
        var points = fixedPoints.Concat(Enumerable.Range(0, 1_500).Select(_ => -745.13 + random.NextDouble() * (709.78 + 745.13)))
            .Concat(Enumerable.Range(0, 500).Select(_ => (random.NextDouble() - 0.5) * 2));

        var worst = Worst(points, x =>
        {
            var bits = HighPrecision.BitsFor(Math.Exp(x));
            return HighPrecision.UlpError(DeterministicMath.Exp(x), HighPrecision.Exp(x, bits), bits);
        });

        output.WriteLine($"Exp: worst {worst.Ulps:F3} ulps at x = {worst.X:R} (seed {Seed})");
        Assert.True(Math.Abs(worst.Ulps) < 1.0, $"Exp({worst.X:R}) is {worst.Ulps} ulps off (seed {Seed})");
    }

    [Fact]
    public void Exp_should_agree_with_the_platform_exp_to_an_ulp_on_minus_700_to_700()
    {
        var random = new Random(Seed);
        var grid = Enumerable.Range(0, 200_001).Select(i => -700 + i * 0.007);
        var randoms = Enumerable.Range(0, 100_000).Select(_ => -700 + random.NextDouble() * 1_400);

        var worst = Worst(grid.Concat(randoms), x => UlpDistance(DeterministicMath.Exp(x), Math.Exp(x)));

        output.WriteLine($"Exp vs Math.Exp: worst {worst.Ulps} ulps apart at x = {worst.X:R} (seed {Seed})");
        Assert.True(worst.Ulps <= 1, $"Exp({worst.X:R}) is {worst.Ulps} ulps from Math.Exp (seed {Seed})");
    }

    [Fact]
    public void Ln_should_be_within_one_ulp_of_the_exact_value_from_subnormals_to_the_largest_double()
    {
        var random = new Random(Seed);
        double[] fixedPoints = [double.Epsilon, 1e-310, 2.2250738585072014e-308, 1e-300, 0.5, 0.7071067811865476, 0.99999999,
            1 - 1.1102230246251565e-16, 1 + 2.220446049250313e-16, 1.0000001, 1.4142135623730951, 1.4142135623730954, 2, 10, 1e300, double.MaxValue];
        var points = fixedPoints
            .Concat(Enumerable.Range(0, 2_000).Select(_ => Math.Pow(10, -300 + random.NextDouble() * 600)))
            .Concat(Enumerable.Range(0, 1_000).Select(_ => 1 + (random.NextDouble() - 0.5) * Math.Pow(10, -random.Next(1, 16))));

        var worst = Worst(points, x =>
        {
            var bits = HighPrecision.BitsFor(Math.Log(x));
            return HighPrecision.UlpError(DeterministicMath.Ln(x), HighPrecision.Ln(x, bits), bits);
        });

        output.WriteLine($"Ln: worst {worst.Ulps:F3} ulps at x = {worst.X:R} (seed {Seed})");
        Assert.True(Math.Abs(worst.Ulps) < 1.0, $"Ln({worst.X:R}) is {worst.Ulps} ulps off (seed {Seed})");
    }

    [Fact]
    public void Ln_should_agree_with_the_platform_log_to_an_ulp_on_1e_minus_300_to_1e300()
    {
        var random = new Random(Seed);
        var logUniform = Enumerable.Range(0, 200_000).Select(_ => Math.Pow(10, -300 + random.NextDouble() * 600));
        var nearOne = Enumerable.Range(0, 100_000).Select(i => 0.5 + i * 1e-5);

        var worst = Worst(logUniform.Concat(nearOne), x => UlpDistance(DeterministicMath.Ln(x), Math.Log(x)));

        output.WriteLine($"Ln vs Math.Log: worst {worst.Ulps} ulps apart at x = {worst.X:R} (seed {Seed})");
        Assert.True(worst.Ulps <= 1, $"Ln({worst.X:R}) is {worst.Ulps} ulps from Math.Log (seed {Seed})");
    }

    [Fact]
    public void NormalCdf_should_be_within_a_few_ulps_of_the_exact_value_on_minus_37_to_9()
    {
        var random = new Random(Seed);
        double[] fixedPoints = [-37, -36.5, -30, -20, -10, -8, -5.656854249492380, -5.65685424949238, -5.6568542494923806, -3, -1,
            -0.66291, -0.6629100000000001, -0.5, -1e-10, 0, 1e-10, 0.3, 0.66291, 0.67, 1, 2, 3, 5.66, 8, 9];
        var points = fixedPoints
            .Concat(Enumerable.Range(0, 300).Select(_ => -37 + random.NextDouble() * 46))
            .Concat(Enumerable.Range(0, 300).Select(_ => (random.NextDouble() - 0.5) * 12));

        var worst = Worst(points, x =>
        {
            var bits = HighPrecision.BitsFor(x < 0 ? Math.Exp(-0.5 * x * x) / (1 - x) : 0.5);
            return HighPrecision.UlpError(DeterministicMath.NormalCdf(x), HighPrecision.NormalCdf(x, bits), bits);
        });

        output.WriteLine($"NormalCdf: worst {worst.Ulps:F3} ulps at x = {worst.X:R} (seed {Seed})");
        Assert.True(Math.Abs(worst.Ulps) <= 8, $"NormalCdf({worst.X:R}) is {worst.Ulps} ulps off (seed {Seed})");
    }

    [Fact]
    public void NormalPdf_should_be_within_a_few_ulps_of_the_exact_value_on_minus_38_to_38()
    {
        var random = new Random(Seed);
        double[] fixedPoints = [0, 1e-10, 0.5, 1, 2, 5, 10, 20, 37, 38, -1, -37];
        var points = fixedPoints.Concat(Enumerable.Range(0, 800).Select(_ => (random.NextDouble() - 0.5) * 76));

        var worst = Worst(points, x =>
        {
            var bits = HighPrecision.BitsFor(Math.Exp(-0.5 * x * x));
            return HighPrecision.UlpError(DeterministicMath.NormalPdf(x), HighPrecision.NormalPdf(x, bits), bits);
        });

        output.WriteLine($"NormalPdf: worst {worst.Ulps:F3} ulps at x = {worst.X:R} (seed {Seed})");
        Assert.True(Math.Abs(worst.Ulps) <= 8, $"NormalPdf({worst.X:R}) is {worst.Ulps} ulps off (seed {Seed})");
    }

    /// <summary>
    /// Like any rounded approximation Φ can step down by an ulp or so between neighbouring doubles
    /// (each value is within 4 ulps); it must not do more than that, nor jump where Cody's three
    /// ranges meet: between neighbouring doubles there, Φ must move by φ(x)·Δx to within the error
    /// of the two values.
    /// </summary>
    [Fact]
    public void NormalCdf_should_rise_with_x_to_within_rounding_and_not_jump_where_its_ranges_meet()
    {
        const double allowedUlps = 8;
        var previous = 0.0;
        for (var i = -80_000; i <= 80_000; i++)
        {
            var x = i * 5e-4;
            var value = DeterministicMath.NormalCdf(x);
            Assert.True(value >= previous - allowedUlps * Ulp(previous), $"Φ({x:R}) = {value:R} falls from {previous:R}");
            previous = value;
        }

        foreach (var boundary in new[] { -40.0, -5.656854249492380195, -0.66291, 0.66291, 5.656854249492380195, 40.0 })
        {
            var x = boundary;
            for (var k = 0; k < 2_000; k++) x = Math.BitDecrement(x);
            for (var k = 0; k < 4_000; k++)
            {
                var next = Math.BitIncrement(x);
                var step = DeterministicMath.NormalCdf(next) - DeterministicMath.NormalCdf(x);
                var expected = DeterministicMath.NormalPdf(x) * (next - x);
                Assert.True(Math.Abs(step - expected) <= allowedUlps * Ulp(DeterministicMath.NormalCdf(next)),
                    $"Φ steps by {step:R} from {x:R} to {next:R}, expected about {expected:R}");
                x = next;
            }
        }
    }

    private static double Ulp(double x) => Math.BitIncrement(Math.Abs(x)) - Math.Abs(x);

    private static (double X, double Ulps) Worst(IEnumerable<double> points, Func<double, double> ulpError)
    {
        var worst = (X: double.NaN, Ulps: 0.0);
        foreach (var x in points)
        {
            var ulps = ulpError(x);
            if (double.IsNaN(worst.X) || Math.Abs(ulps) > Math.Abs(worst.Ulps)) worst = (x, ulps);
        }
        return worst;
    }

    /// <summary>How many doubles apart two finite positive doubles are.</summary>
    private static double UlpDistance(double a, double b) =>
        Math.Abs((double)(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b)));
}
