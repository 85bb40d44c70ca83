using Exchange.Core.Oracle;
using FsCheck.Xunit;
using static Exchange.Core.Tests.Oracle.OracleFixtures;

namespace Exchange.Core.Tests.Oracle;

/// <summary>Every node computes the same oracle state from the same blocks, and a restored snapshot carries on as if never stopped.</summary>
public class OracleDeterminismProperties
{
    private static PriceObservation[] Shuffled(PriceObservation[] observations, int seed)
    {
        var copy = observations.ToArray();
        new Random(seed).Shuffle(copy);
        return copy;
    }

    [Property(Replay = "(3301, 2719)", MaxTest = 100, Arbitrary = [typeof(OracleArbitraries)])]
    public void Observation_order_within_a_block_should_not_change_the_state_hash(Seed s)
    {
        var seed = s.Value;
        var scenario = new OracleScenario(seed, 60);
        var inOrder = scenario.Run(Small());
        var shuffled = scenario.Run(Small(), obs => Shuffled(obs, seed));
        var reversed = scenario.Run(Small(), obs => [.. obs.Reverse()]);

        Assert.Equal(inOrder.Hash(), shuffled.Hash());
        Assert.Equal(inOrder.Hash(), reversed.Hash());
        Assert.Equal(inOrder.Encode(), shuffled.Encode());
    }

    [Property(Replay = "(3302, 2719)", MaxTest = 60, Arbitrary = [typeof(OracleArbitraries)])]
    public void A_snapshot_restored_mid_run_should_end_with_the_same_hash_as_an_uninterrupted_run(Seed s)
    {
        var seed = s.Value;
        var scenario = new OracleScenario(seed, 80);
        var parameters = Small(maxSamples: 64);
        var uninterrupted = scenario.Run(parameters);

        var cut = new Random(seed).Next(0, scenario.Blocks.Count);
        var first = new OracleState(parameters);
        foreach (var b in scenario.Blocks.Take(cut)) scenario.Apply(first, b);
        var restored = OracleState.Decode(first.Encode());
        Assert.Equal(first.Hash(), restored.Hash());
        foreach (var b in scenario.Blocks.Skip(cut)) scenario.Apply(restored, b);

        Assert.Equal(uninterrupted.Hash(), restored.Hash());
    }
}
