namespace Exchange.Bench.Matching;

/// <summary>The two command mixes of the matching suite.</summary>
public enum MatchingMix { ExchangeCore, Sweeps }

internal static class MatchingMixes
{
    /// <summary>Ops of each mix run untimed after the book is filled, so the timers see a book in its steady state.</summary>
    public const int SettleOps = 200_000;

    /// <summary>Mix 1 from <paramref name="seed"/>, mix 2 from the next seed, so the two never share a stream.</summary>
    public static MatchingStream Generate(this MatchingMix mix, ulong seed, int measuredOps) => mix switch
    {
        MatchingMix.ExchangeCore => new ExchangeCoreMix(seed).Generate("mix 1, exchange-core: 82% amends, 9% GTC, 3% IOC, 6% cancels", SettleOps, measuredOps),
        MatchingMix.Sweeps => new SweepMix(seed + 1).Generate("mix 2, sweeps of 3 to 10 levels with GTC refills", SettleOps, measuredOps),
        _ => throw new ArgumentOutOfRangeException(nameof(mix), mix, "unknown mix"),
    };
}
