using Exchange.Core.Numerics;
using Exchange.Core.State;

namespace Exchange.Node.Oracle;

/// <summary>One index the simulated feed follows: its symbol, where its walk starts, and the implied vol it quotes (millionths).</summary>
public sealed record SimulatedIndex(string Underlying, Price Start, long ImpliedVolMicros);

/// <summary>
/// The simulated feed: a geometric random walk per index, one step per height, each step standing for
/// <see cref="Tick"/> of time at annual volatility <see cref="Volatility"/>. <see cref="Seed"/> fixes the walk shared by
/// every validator of the chain; each validator then quotes it with its own small noise of about
/// <see cref="SpreadBps"/> basis points (one standard deviation), drawn from its key, so validators differ slightly
/// but never drift apart.
/// </summary>
public sealed record SimulatedFeedSettings(ulong Seed, double Volatility, TimeSpan Tick, double SpreadBps, IReadOnlyList<SimulatedIndex> Indexes)
{
    /// <summary>A feed that starts every index at its genesis price and quotes its genesis implied vol.</summary>
    public static SimulatedFeedSettings FromGenesis(Genesis genesis, ulong seed, double volatility, TimeSpan tick, double spreadBps) =>
        new(seed, volatility, tick, spreadBps, genesis.Indexes.Select(i => new SimulatedIndex(i.Underlying, i.Price, i.ImpliedVolMicros)).ToArray());

    /// <summary>Null when usable, else the first problem.</summary>
    public string? Check()
    {
        if (!(Volatility >= 0 && Volatility <= 10)) return "volatility must be 0 to 10 (1000% a year)";
        if (Tick <= TimeSpan.Zero) return "tick must be positive";
        if (!(SpreadBps >= 0 && SpreadBps <= 100)) return "spread must be 0 to 100 basis points";
        if (Indexes.Count == 0) return "the feed needs at least one index";
        if (Indexes.Any(i => !i.Start.IsPositive || i.ImpliedVolMicros <= 0)) return "every index needs a positive start price and implied vol";
        if (Indexes.Select(i => i.Underlying).Distinct(StringComparer.Ordinal).Count() != Indexes.Count) return "an index is listed twice";
        return null;
    }
}
