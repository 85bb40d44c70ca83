using Exchange.Consensus;
using Exchange.Core.Crypto;

namespace Exchange.Consensus.Tests;

public class ProposerRotationTests
{
    /// <summary>
    /// Brute-force weighted round robin, straight from its definition: each step every validator gains its
    /// power, the highest (smallest key among equals) proposes and pays the total. No clipping or rescaling.
    /// </summary>
    private static List<PublicKey> Reference(IReadOnlyList<(PublicKey Key, long Power)> vals, int steps)
    {
        var sorted = vals.OrderBy(v => v.Key).ToArray();
        var prio = new long[sorted.Length];
        var total = sorted.Sum(v => v.Power);
        var result = new List<PublicKey>();
        for (var s = 0; s < steps; s++)
        {
            for (var i = 0; i < sorted.Length; i++) prio[i] += sorted[i].Power;
            var best = 0;
            for (var i = 1; i < sorted.Length; i++) if (prio[i] > prio[best]) best = i;
            prio[best] -= total;
            result.Add(sorted[best].Key);
        }
        return result;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Proposers_over_many_heights_should_match_weighted_round_robin(int seed)
    {
        var rng = new Random(seed);
        var n = rng.Next(2, 8);
        var vals = Enumerable.Range(0, n).Select(i => (ConsensusFixture.Key(i + 10 * seed).PublicKey, (long)rng.Next(1, 30))).ToList();
        var total = (int)vals.Sum(v => v.Item2);
        var schedule = ValidatorSchedule.Genesis(ValidatorSet.Create(vals));
        var actual = new List<PublicKey>();
        for (var h = 0; h < 3 * total; h++)
        {
            actual.Add(schedule.Validators.Proposer.Key);
            schedule = schedule.AfterCommit([]);
        }

        Assert.True(Reference(vals, 3 * total).SequenceEqual(actual), $"seed {seed}");
        for (var w = 0; w < 3; w++)
            foreach (var (key, power) in vals)
                Assert.True(actual.Skip(w * total).Take(total).Count(k => k == key) == power, $"seed {seed}: window {w}, {key}");
    }

    [Fact]
    public void Equal_priorities_should_be_broken_by_the_smaller_key()
    {
        var keys = new[] { ConsensusFixture.Key(0).PublicKey, ConsensusFixture.Key(1).PublicKey };
        var set = ValidatorSet.Create(keys.Select(k => (k, 5L)));
        Assert.Equal(keys.Min(), set.Proposer.Key);
    }

    [Fact]
    public void Stake_changes_in_block_H_should_sign_from_height_H_plus_2()
    {
        var stubs = ConsensusFixture.Stubs(5);
        var schedule = ValidatorSchedule.Genesis(ConsensusFixture.EqualSet(stubs.Take(4)));
        var at2 = schedule.AfterCommit([(stubs[4].Key, 10L)]);
        Assert.False(at2.Validators.Contains(stubs[4].Key));
        var at3 = at2.AfterCommit([]);
        Assert.True(at3.Validators.Contains(stubs[4].Key));
        Assert.Equal(50, at3.Validators.TotalPower);
    }

    [Fact]
    public void Quorums_should_need_strictly_more_than_two_thirds_and_one_third()
    {
        Assert.False(Quorum.IsTwoThirds(2, 3));
        Assert.True(Quorum.IsTwoThirds(3, 4));
        Assert.False(Quorum.IsOneThird(1, 3));
        Assert.True(Quorum.IsOneThird(2, 4));
        Assert.True(Quorum.IsTwoThirds(ValidatorSet.MaxTotalPower, ValidatorSet.MaxTotalPower));
    }
}
