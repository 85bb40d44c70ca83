using Exchange.Simulation;

namespace Exchange.Simulation.Tests;

public class CheckerTests
{
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void Negative_control_with_one_third_of_the_stake_on_two_machines_should_be_reported_as_an_agreement_violation(ulong seed)
    {
        var result = Simulation.Run(Scenarios.NegativeControl(seed));
        Assert.True(result.Violations.Any(v => v.Property == Property.Agreement), $"seed {seed}: the checker found no agreement violation: {result.Describe()}");
    }

    [Theory]
    [InlineData(FaultMix.Everything, 7UL)]
    [InlineData(FaultMix.Garbage, 11UL)]
    [InlineData(FaultMix.Crashes, 5UL)]
    public void The_same_seed_should_replay_the_same_event_trace(FaultMix mix, ulong seed)
    {
        var a = Simulation.Run(Scenarios.Create(mix, seed));
        var b = Simulation.Run(Scenarios.Create(mix, seed));
        Assert.Equal(a.TraceDigest, b.TraceDigest);
        Assert.Equal(a.Events, b.Events);
        Assert.Equal(a.CommittedHashes, b.CommittedHashes);
        Assert.Equal(a.Faults, b.Faults);
        Assert.NotEqual(a.TraceDigest, Simulation.Run(Scenarios.Create(mix, seed + 1)).TraceDigest);
    }

    /// <summary>Double votes (and double proposals) reach honest nodes, become evidence, and are committed and slashed on every honest node.</summary>
    [Theory]
    [InlineData(FaultMix.DoubleVotes)]
    [InlineData(FaultMix.Equivocation)]
    public void Equivocations_seen_should_be_turned_into_evidence_committed_and_slashed_on_every_honest_node(FaultMix mix)
    {
        long seen = 0, required = 0, slashed = 0;
        for (ulong seed = 1; seed <= 20; seed++)
        {
            var result = Simulation.Run(Scenarios.Create(mix, seed));
            Assert.True(result.Ok, result.Describe());
            Assert.Equal(result.EvidenceRequired, result.EvidenceSlashed);
            seen += result.EquivocationsSeen;
            required += result.EvidenceRequired;
            slashed += result.OffencesSlashed;
        }
        Assert.True(seen > 0, $"{mix}: no honest node took in two conflicting messages in 20 runs: the evidence check checked nothing");
        Assert.True(required > 0, $"{mix}: no equivocation at the scenario's heights reached an honest node in 20 runs: the slashing check checked nothing");
        Assert.True(slashed >= required, $"{mix}: {slashed} offences slashed for {required} required");
    }

    [Fact]
    public void Blocks_should_carry_transfers_and_commits_should_carry_price_observations()
    {
        var result = Simulation.Run(Scenarios.Create(FaultMix.Clean, 3));
        Assert.True(result.Ok, result.Describe());
        Assert.True(result.Transactions >= (long)result.MinHonestHeight, $"{result.Transactions} transactions in {result.MinHonestHeight} heights");
        // Every block after the first carries the previous commit, whose precommits for the block carry observations.
        Assert.True(result.Extensions >= 3 * ((long)result.MinHonestHeight - 1), $"{result.Extensions} observations in {result.MinHonestHeight} heights");
    }

    [Theory]
    [InlineData(FaultMix.LossyNetwork, FaultKind.Drop)]
    [InlineData(FaultMix.LossyNetwork, FaultKind.Duplicate)]
    [InlineData(FaultMix.LossyNetwork, FaultKind.Reorder)]
    [InlineData(FaultMix.Partitions, FaultKind.Partition)]
    [InlineData(FaultMix.Crashes, FaultKind.Crash)]
    [InlineData(FaultMix.Equivocation, FaultKind.EquivocatingProposal)]
    [InlineData(FaultMix.DoubleVotes, FaultKind.DoubleVote)]
    [InlineData(FaultMix.Silence, FaultKind.SilencedMessage)]
    [InlineData(FaultMix.InvalidBlocks, FaultKind.InvalidBlock)]
    [InlineData(FaultMix.Garbage, FaultKind.GarbageMessage)]
    public void Each_fault_mix_should_inject_its_faults(FaultMix mix, FaultKind kind)
    {
        long injected = 0;
        for (ulong seed = 1; seed <= 10; seed++) injected += Simulation.Run(Scenarios.Create(mix, seed)).Faults.GetValueOrDefault(kind);
        Assert.True(injected > 0, $"{mix} injected no {kind} in 10 runs");
    }

    [Fact]
    public void Garbage_should_reach_receivers_and_be_dropped_by_the_decoder()
    {
        long undecodable = 0;
        for (ulong seed = 1; seed <= 10; seed++) undecodable += Simulation.Run(Scenarios.Create(FaultMix.Garbage, seed)).Undecodable;
        Assert.True(undecodable > 0);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    public void Zero_delay_runs_should_commit_every_height_with_no_violation(int validators)
    {
        var result = Simulation.Run(Scenarios.ZeroDelay(validators, 5));
        Assert.True(result.Ok, result.Describe());
        Assert.All(result.HeightsCommitted, h => Assert.True(h >= 5));
        Assert.Equal(0, result.EndTimeMs);
    }

    [Fact]
    public void Seven_validators_with_two_byzantine_should_keep_every_property()
    {
        for (ulong seed = 1; seed <= 10; seed++)
        {
            var result = Simulation.Run(Scenarios.Create(FaultMix.Everything, seed, validators: 7, heights: 3));
            Assert.True(result.Ok, result.Describe());
        }
    }
}
