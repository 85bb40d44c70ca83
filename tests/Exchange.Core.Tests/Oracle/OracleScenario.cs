using Exchange.Core.Crypto;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;

namespace Exchange.Core.Tests.Oracle;

/// <summary>One block's worth of oracle input.</summary>
internal sealed record OracleBlock(ulong Height, long TimeMs, PriceObservation[] Observations);

/// <summary>
/// A seeded run of blocks: a validator set with unequal stakes, a few underlyings, validators that report
/// some underlyings and not others, that go quiet, that report twice or from the past, and outsiders.
/// The same seed gives the same blocks.
/// </summary>
internal sealed class OracleScenario
{
    public static readonly string[] Symbols = ["BTC", "ETH", "SOL", "XRP"];

    public Dictionary<PublicKey, long> Powers { get; }
    public long TotalPower { get; }
    public List<OracleBlock> Blocks { get; } = [];

    public OracleScenario(int seed, int blockCount, long startMs = OracleFixtures.Expiry - 120_000)
    {
        var rng = new Random(seed);
        var validators = Enumerable.Range(0, rng.Next(1, 8)).Select(OracleFixtures.PseudoKey).ToArray();
        Powers = validators.ToDictionary(v => v, _ => (long)rng.Next(1, 1_000));
        TotalPower = Powers.Values.Sum() + rng.Next(0, 300);   // some power never reports at all
        var outsider = OracleFixtures.PseudoKey(9_999);
        var t = startMs;
        for (var h = 2UL; h < 2UL + (ulong)blockCount; h++)
        {
            t += rng.Next(1, 2_500);
            var observations = new List<PriceObservation>();
            foreach (var v in validators.Append(outsider))
            {
                if (rng.Next(5) == 0) continue;
                var quotes = Symbols.Where(_ => rng.Next(3) != 0)
                    .Select(s => new IndexQuote(s, Price.FromWhole(rng.Next(90, 110)), rng.Next(400_000, 700_000)))
                    .ToArray();
                if (quotes.Length == 0) continue;
                var height = rng.Next(20) == 0 ? h - 2 : h - 1;
                observations.Add(PriceObservation.Create(v, Math.Max(1, height), t - rng.Next(0, 3_000), quotes));
            }
            Blocks.Add(new OracleBlock(h, t, [.. observations]));
        }
    }

    public void Apply(OracleState state, OracleBlock block, Func<PriceObservation[], PriceObservation[]>? order = null) =>
        state.Apply(block.Height, block.TimeMs, order is null ? block.Observations : order(block.Observations), Powers, TotalPower);

    public OracleState Run(OracleParameters parameters, Func<PriceObservation[], PriceObservation[]>? order = null)
    {
        var state = new OracleState(parameters);
        foreach (var b in Blocks) Apply(state, b, order);
        return state;
    }
}
