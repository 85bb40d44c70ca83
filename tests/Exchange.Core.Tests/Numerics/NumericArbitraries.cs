using System.Numerics;
using FsCheck;
using FsCheck.Fluent;

namespace Exchange.Core.Tests.Numerics;

/// <summary>a·b/d with d ≠ 0.</summary>
public sealed record MulDivCase(long A, long B, long D);

/// <summary>A raw amount and a number of decimals between 0 and 18.</summary>
public sealed record RawAmount(long Raw, int Decimals);

/// <summary>Text offered to the 6-decimal parser.</summary>
public sealed record Candidate(string Text)
{
    public override string ToString() => $"\"{Text}\"";
}

/// <summary>A price and a positive tick.</summary>
public sealed record TickCase(long Price, long Tick);

/// <summary>
/// Generators biased toward the places integer arithmetic breaks: the ends of the long range,
/// every magnitude (log-uniform), both signs, and denominators that divide exactly.
/// </summary>
public static class NumericArbitraries
{
    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(i => (byte)i);

    private static readonly Gen<long> Edges = Gen.Elements(
        long.MinValue, long.MinValue + 1, long.MaxValue, long.MaxValue - 1,
        0L, 1L, -1L, 2L, -2L, 1_000_000L, -1_000_000L, 999_999L, -999_999L,
        int.MaxValue, int.MinValue, 3_037_000_499L, -3_037_000_499L);

    /// <summary>A magnitude whose bit length is uniform in 0..63, with a random sign.</summary>
    private static readonly Gen<long> LogUniform =
        from bytes in Gen.ArrayOf(AnyByte, 8)
        from shift in Gen.Choose(1, 63)
        from negative in Gen.Elements(false, true)
        let magnitude = (long)(BitConverter.ToUInt64(bytes) >> shift)
        select negative ? -magnitude : magnitude;

    public static readonly Gen<long> AnyLong = Gen.Frequency(
        (1, Edges),
        (1, Gen.Choose(-1_000, 1_000).Select(i => (long)i)),
        (4, LogUniform));

    private static readonly Gen<long> Denominator = Gen.Frequency(
        (3, AnyLong.Where(d => d != 0)),
        (2, Gen.Elements(1L, -1L, 2L, -2L, 3L, -3L, 7L, 10L, -10L, 1_000_000L, -1_000_000L, long.MaxValue, long.MinValue)));

    public static Arbitrary<MulDivCase> MulDivCases() => Arb.From(
        from a in AnyLong
        from b in AnyLong
        from d in Gen.Frequency(
            (4, Denominator),
            // A factor of the product, so exact division is common rather than rare.
            (1, Gen.Elements(FactorsOf(a, b))),
            (1, Gen.Constant(1L)))
        select new MulDivCase(a, b, d));

    /// <summary>Non-zero ±a and ±b, or 1 when there are none; never filters, so generation cannot stall.</summary>
    private static long[] FactorsOf(long a, long b)
    {
        long[] factors = [.. new[] { a, b }.Where(x => x != 0 && x != long.MinValue).SelectMany(x => new[] { x, -x })];
        return factors.Length == 0 ? [1L] : factors;
    }

    public static Arbitrary<RawAmount> RawAmounts() => Arb.From(
        from raw in AnyLong.Where(x => x != long.MinValue)
        from decimals in Gen.Elements(0, 1, 2, 6, 8, 12, 17, 18)
        select new RawAmount(raw, decimals));

    public static Arbitrary<TickCase> TickCases() => Arb.From(
        from price in Gen.Frequency((3, AnyLong), (2, Gen.Choose(-100_000_000, 100_000_000).Select(i => (long)i)))
        from tick in Gen.Frequency(
            (3, Gen.Elements(1L, 5L, 10L, 100L, 500L, 10_000L, 1_000_000L)),
            (1, LogUniform.Select(x => Math.Max(1, Math.Abs(x)))))
        select new TickCase(price, tick));

    private static readonly Gen<char> TextChar = Gen.Frequency(
        (10, Gen.Choose('0', '9').Select(i => (char)i)),
        (1, Gen.Elements('-', '.', '.', 'e', 'E', '+', ' ', ',', '\u0661', '\uFF11', '\t')));

    public static Arbitrary<Candidate> Candidates()
    {
        var random = from length in Gen.Choose(0, 24)
                     from chars in Gen.ArrayOf(TextChar, length)
                     select new string(chars);
        var nearCanonical = from raw in AnyLong
                            from extraZeros in Gen.Choose(0, 3)
                            let text = Format6(raw)
                            select text.Contains('.') ? text + new string('0', extraZeros) : text;
        var mutated = from text in nearCanonical
                      from position in Gen.Choose(0, 40)
                      from c in TextChar
                      from insert in Gen.Elements(false, true)
                      let at = Math.Min(position, text.Length)
                      select insert ? text.Insert(at, c.ToString())
                           : text.Length == 0 ? text : text.Remove(Math.Min(at, text.Length - 1), 1);
        return Arb.From(Gen.Frequency((2, random), (2, nearCanonical), (3, mutated)).Select(t => new Candidate(t)));
    }

    /// <summary>Reference text for a 6-decimal raw value, built with BigInteger rather than the code under test.</summary>
    private static string Format6(long raw)
    {
        var magnitude = BigInteger.Abs(raw);
        var whole = BigInteger.DivRem(magnitude, 1_000_000, out var fraction);
        var text = fraction.IsZero ? whole.ToString() : $"{whole}.{fraction.ToString().PadLeft(6, '0').TrimEnd('0')}";
        return raw < 0 ? "-" + text : text;
    }
}
