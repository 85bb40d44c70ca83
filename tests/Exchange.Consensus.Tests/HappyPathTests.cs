using Exchange.Consensus;
using Exchange.Core.Ledger;

namespace Exchange.Consensus.Tests;

public class HappyPathTests
{
    [Fact]
    public void Four_validators_should_commit_in_round_0_with_a_commit_that_verifies()
    {
        var net = new Network(4);
        net.RunHeight(1, Commit.Empty);

        Assert.Equal(4, net.Commits.Count);
        var block = net.Commits[0].Commit.Block;
        Assert.All(net.Commits, c => Assert.Equal(block.Hash(), c.Commit.Block.Hash()));
        var commit = net.Commits[0].Commit.Commit;
        Assert.Equal(0u, commit.Round);
        Assert.True(commit.Signatures.Count >= 3);
        var set = net.Schedule.Validators;
        Assert.Equal(CommitCheck.Valid, commit.Verify(ConsensusFixture.Chain, 1, block.Hash(), set.PowerByKey(), set.TotalPower));
        Assert.All(net.Cores, c => Assert.Empty(c.Dropped));
    }

    [Fact]
    public void Consecutive_heights_should_chain_each_block_to_the_previous_commit()
    {
        var net = new Network(4);
        var last = Commit.Empty;
        for (ulong h = 1; h <= 5; h++)
        {
            net.RunHeight(h, last);
            var decided = net.Commits.Where(c => c.Commit.Block.Header.Height == h).Select(c => c.Commit).ToList();
            Assert.Equal(4, decided.Count);
            Assert.Single(decided.Select(d => d.Block.Hash()).Distinct());
            Assert.Equal(last.IsEmpty ? Exchange.Core.Crypto.Hash32.Zero : last.BlockHash, decided[0].Block.Header.PrevBlockHash);
            Assert.True(decided[0].Block.Validate().IsValid);
            last = decided[0].Commit;
            net.AdvanceSchedule();
        }
    }

    [Fact]
    public void Precommits_should_carry_extensions_that_the_next_proposer_collects()
    {
        var net = new Network(4) { Extension = (h, i) => ConsensusFixture.Observation(ConsensusFixture.Key(i).PublicKey, h, 60_000_000_000 + i) };
        net.RunHeight(1, Commit.Empty);
        var (block, commit) = (net.Commits[0].Commit.Block, net.Commits[0].Commit.Commit);
        Assert.All(commit.Signatures, s => Assert.NotNull(s.Extension));
        var set = net.Schedule.Validators;
        Assert.Equal(CommitCheck.Valid, commit.Verify(ConsensusFixture.Chain, 1, block.Hash(), set.PowerByKey(), set.TotalPower));

        net.AdvanceSchedule();
        net.RunHeight(2, commit);
        var request = Assert.Single(net.PayloadRequests, p => p.Height == 2);
        Assert.Equal(commit.Signatures.Count, request.LastCommit.Observations().Count);
        var block2 = net.Commits.First(c => c.Commit.Block.Header.Height == 2).Commit.Block;
        Assert.Equal(commit.Signatures.Count, block2.LastCommit.Observations().Count);
    }
}
