namespace Exchange.Simulation;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): the simulator's only source of randomness. Each run seeds one
/// generator and draws from it in event order, so the seed alone defines the run.
/// </summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>), by rejection so no value is favoured.</summary>
    public int Next(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), bound, "bound must be positive");
        var b = (ulong)bound;
        var limit = ulong.MaxValue - ulong.MaxValue % b;
        ulong x;
        do x = NextUInt64(); while (x >= limit);
        return (int)(x % b);
    }

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long Between(long min, long max) => min + Next((int)(max - min + 1));

    /// <summary>True with probability <paramref name="perMille"/>/1000, in integers so no rounding differs by platform.</summary>
    public bool Chance(int perMille) => perMille > 0 && Next(1000) < perMille;

    /// <summary>A seed for an independent generator (one per run from a master seed).</summary>
    public static ulong Mix(ulong seed, ulong stream) => new SplitMix64(seed ^ (stream * 0xD1B54A32D192ED03UL)).NextUInt64();
}
