using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Consensus.Tests;

public class VoteSetTests
{
    [Fact]
    public void An_equivocators_second_vote_should_count_toward_its_own_value_and_sign_the_commit()
    {
        var all = ConsensusFixture.Stubs(4);
        var set = new VoteSet(1, 0, VoteType.Precommit, ConsensusFixture.EqualSet(all));
        var block = Hash32.Compute([7]);

        // The equivocator's nil precommit arrived first here; elsewhere its precommit for the block came first.
        Assert.Equal(AddVoteResult.Added, set.Add(all[0].Vote(VoteType.Precommit, 1, 0, Hash32.Zero), out _));
        Assert.Equal(AddVoteResult.Conflicting, set.Add(all[0].Vote(VoteType.Precommit, 1, 0, block), out var evidence));
        Assert.NotNull(evidence);
        set.Add(all[1].Vote(VoteType.Precommit, 1, 0, block), out _);
        set.Add(all[2].Vote(VoteType.Precommit, 1, 0, block), out _);

        Assert.True(set.HasTwoThirdsFor(block));
        Assert.Equal(30, set.SumPower);
        Assert.Equal(3, set.VotesFor(block).Count());
        Assert.Equal(Hash32.Zero, set.VoteOf(all[0].Key)!.BlockHash);
    }

    [Fact]
    public void A_third_different_vote_should_yield_evidence_but_not_be_kept()
    {
        var all = ConsensusFixture.Stubs(4);
        var set = new VoteSet(1, 0, VoteType.Prevote, ConsensusFixture.EqualSet(all));
        set.Add(all[0].Vote(VoteType.Prevote, 1, 0, Hash32.Compute([1])), out _);
        set.Add(all[0].Vote(VoteType.Prevote, 1, 0, Hash32.Compute([2])), out _);
        Assert.Equal(AddVoteResult.Conflicting, set.Add(all[0].Vote(VoteType.Prevote, 1, 0, Hash32.Compute([3])), out var evidence));
        Assert.NotNull(evidence);
        Assert.Equal(0, set.PowerFor(Hash32.Compute([3])));
        Assert.Equal(AddVoteResult.Duplicate, set.Add(all[0].Vote(VoteType.Prevote, 1, 0, Hash32.Compute([2])), out _));
    }
}
