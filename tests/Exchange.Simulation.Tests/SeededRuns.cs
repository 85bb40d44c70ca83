using Exchange.Simulation;

namespace Exchange.Simulation.Tests;

/// <summary>
/// Seeded runs of a set of fault mixes: 4 validators with unequal stake, 4 heights per run, 200 seeds per mix.
/// A failure lists the seeds; <c>exchange simulate --seed S --runs 1</c> replays one exactly. The mixes are split
/// over two test classes so xunit runs them on both cores.
/// </summary>
public abstract class SeededRuns
{
    public const int RunsPerMix = 200;

    protected static void RunMix(FaultMix mix)
    {
        var failures = new List<string>();
        for (var i = 0; i < RunsPerMix; i++)
        {
            var seed = SplitMix64.Mix(20261123, (ulong)mix * 1_000_003 + (ulong)i);
            var result = Simulation.Run(Scenarios.Create(mix, seed));
            if (!result.Ok) failures.Add(result.Describe());
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {RunsPerMix} {mix} runs failed:\n{string.Join("\n", failures.Take(10))}");
    }
}

public class NetworkFaultRunTests : SeededRuns
{
    [Theory]
    [InlineData(FaultMix.Clean)]
    [InlineData(FaultMix.LossyNetwork)]
    [InlineData(FaultMix.Partitions)]
    [InlineData(FaultMix.Crashes)]
    [InlineData(FaultMix.Everything)]
    public void Every_seed_should_keep_agreement_validity_liveness_and_evidence(FaultMix mix) => RunMix(mix);
}

public class ByzantineRunTests : SeededRuns
{
    [Theory]
    [InlineData(FaultMix.Equivocation)]
    [InlineData(FaultMix.DoubleVotes)]
    [InlineData(FaultMix.Silence)]
    [InlineData(FaultMix.InvalidBlocks)]
    [InlineData(FaultMix.Garbage)]
    public void Every_seed_should_keep_agreement_validity_liveness_and_evidence(FaultMix mix) => RunMix(mix);
}
