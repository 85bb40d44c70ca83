using Exchange.Core.Numerics;
using Exchange.Core.Oracle;
using FsCheck.Xunit;
using static Exchange.Core.Tests.Oracle.OracleFixtures;

namespace Exchange.Core.Tests.Oracle;

/// <summary>The grid-cell settlement average agrees with a plain integral over every raw update, whatever the block rate.</summary>
public class SettlementTwapProperties
{
    private const long Grid = 1_000;

    /// <summary>The rules from the definition, over the full list of updates, with no samples and no grid.</summary>
    private static (SettlementStatus Status, Price Price) Reference(List<(long T, Price P)> updates, long lastBlock, long expiry, OracleParameters p)
    {
        if (lastBlock < expiry) return (SettlementStatus.NotExpired, Price.Zero);
        var atOrBefore = updates.Where(u => u.T <= expiry).ToList();
        var start = expiry - p.SettlementWindowMs;
        if (atOrBefore.Count == 0 || atOrBefore[^1].T < start) return (SettlementStatus.NoUpdateInWindow, Price.Zero);
        if (expiry - atOrBefore[^1].T > p.MaxAgeMs) return (SettlementStatus.StaleAtExpiry, Price.Zero);

        var from = updates.Any(u => u.T <= start) ? start : updates[0].T;
        Int128 sum = 0;
        for (var i = 0; i < updates.Count; i++)
        {
            var segmentEnd = i + 1 < updates.Count ? updates[i + 1].T : long.MaxValue;
            var a = Math.Max(updates[i].T, from);
            var b = Math.Min(segmentEnd, expiry);
            if (b > a) sum += (Int128)updates[i].P.Raw * (b - a);
        }
        return from == expiry
            ? (SettlementStatus.Settled, atOrBefore[^1].P)
            : (SettlementStatus.Settled, new Price((long)(sum / (expiry - from))));
    }

    /// <summary>
    /// A random run: blocks 1 ms to 4 s apart (many in one grid second, some seconds empty), each carrying a
    /// price with probability 3/4, drawn from a few levels or anywhere up to a trillion dollars.
    /// </summary>
    private static (SoleFeeder Feeder, List<(long T, Price P)> Updates) RandomRun(int seed, OracleParameters parameters)
    {
        var rng = new Random(seed);
        var feeder = new SoleFeeder(new OracleState(parameters));
        var updates = new List<(long, Price)>();
        var t = Expiry - 3 * parameters.SettlementWindowMs + rng.Next(0, 5_000);
        var blocks = rng.Next(1, 400);
        for (var i = 0; i < blocks; i++)
        {
            t += rng.Next(4) == 0 ? rng.Next(1, 4_000) : rng.Next(1, 400);
            if (rng.Next(4) == 0)
            {
                feeder.Silent(t);
                continue;
            }
            var price = rng.Next(3) == 0 ? new Price(rng.NextInt64(1, 1_000_000_000_000_000_000)) : Price.FromWhole(rng.Next(1, 4));
            feeder.Feed(t, price);
            updates.Add((t, price));
        }
        return (feeder, updates);
    }

    [Property(Replay = "(3201, 2719)", MaxTest = 100, Arbitrary = [typeof(OracleArbitraries)])]
    public void Settlement_should_equal_the_integral_over_raw_updates_for_every_grid_expiry(Seed s)
    {
        var seed = s.Value;
        var parameters = Small(maxSamples: 1_000) with { SettlementWindowMs = 20_000, MaxAgeMs = 3_000 };
        var (feeder, updates) = RandomRun(seed, parameters);
        var state = feeder.State;
        var firstExpiry = (Expiry - 3 * parameters.SettlementWindowMs) / Grid * Grid;
        for (var expiry = firstExpiry; expiry <= state.LastBlockTimeMs + Grid; expiry += Grid)
        {
            var status = state.SettlementPrice("BTC", expiry, out var price);
            var expected = updates.Count == 0 ? (SettlementStatus.UnknownUnderlying, Price.Zero) : Reference(updates, state.LastBlockTimeMs, expiry, parameters);
            Assert.True(expected == (status, price), $"seed {seed}, expiry {expiry}: expected {expected}, got {(status, price)}");
        }
    }

    [Property(Replay = "(3202, 2719)", MaxTest = 200, Arbitrary = [typeof(OracleArbitraries)])]
    public void With_samples_dropped_settlement_should_either_refuse_or_equal_the_integral(Seed s)
    {
        var seed = s.Value;
        var parameters = Small(maxSamples: 22) with { SettlementWindowMs = 20_000, MaxAgeMs = 3_000 };
        var (feeder, updates) = RandomRun(seed, parameters);
        var state = feeder.State;
        if (updates.Count == 0) return;
        var firstExpiry = (Expiry - 3 * parameters.SettlementWindowMs) / Grid * Grid;
        for (var expiry = firstExpiry; expiry <= state.LastBlockTimeMs; expiry += Grid)
        {
            var status = state.SettlementPrice("BTC", expiry, out var price);
            if (status == SettlementStatus.WindowNotRetained) continue;
            var expected = Reference(updates, state.LastBlockTimeMs, expiry, parameters);
            Assert.True(expected == (status, price), $"seed {seed}, expiry {expiry}: expected {expected}, got {(status, price)}");
        }
        Assert.True(state.Encode().Length < 22 * 40 + 200);
    }
}
