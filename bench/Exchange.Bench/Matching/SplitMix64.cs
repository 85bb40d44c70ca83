namespace Exchange.Bench.Matching;

/// <summary>
/// SplitMix64: a tiny generator whose output depends on the seed alone, on every machine and
/// runtime version, so a seed names one command stream for good.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextRaw()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>0 to <paramref name="max"/> − 1; the modulo bias is below 2⁻⁴⁰ for the ranges used here.</summary>
    public int Next(int max) => (int)(NextRaw() % (ulong)max);

    public bool Chance(double probability) => (NextRaw() >> 11) * (1.0 / (1UL << 53)) < probability;
}
