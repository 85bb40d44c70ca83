using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Consensus.Tests;

/// <summary>Equivocating proposals, gossiped evidence, and the pool's limits.</summary>
public class EvidenceTests
{
    private static CoreUnderTest Started()
    {
        var all = ConsensusFixture.Stubs(4);
        var t = new CoreUnderTest(all, CoreUnderTest.IndexOfProposer(all, 3));
        t.Start();
        return t;
    }

    private static DuplicateVoteEvidence DoubleVote(ValidatorStub stub, ulong height, uint round = 0) =>
        DuplicateVoteEvidence.Create(
            stub.Vote(VoteType.Prevote, height, round, Hash32.Compute([1])).ToSigned(),
            stub.Vote(VoteType.Prevote, height, round, Hash32.Compute([2])).ToSigned());

    [Fact]
    public void Two_different_proposals_of_the_round_proposer_should_become_evidence_and_the_first_should_stand()
    {
        var t = Started();
        var proposer = t.ProposerStub(0);
        var first = ConsensusFixture.MakeBlock(1, proposer.Key, Commit.Empty, t.Validators, timeMs: 1);
        var second = ConsensusFixture.MakeBlock(1, proposer.Key, Commit.Empty, t.Validators, timeMs: 2);
        t.Handle(new ConsensusInput.ProposalReceived(proposer.Propose(1, 0, -1, first)));
        var outputs = t.Handle(new ConsensusInput.ProposalReceived(proposer.Propose(1, 0, -1, second)));

        var evidence = Assert.IsType<DuplicateProposalEvidence>(Assert.Single(outputs.OfType<ConsensusOutput.EvidenceFound>()).Evidence);
        Assert.True(evidence.Verify(ConsensusFixture.Chain).IsValid);
        Assert.Equal(new Offence(proposer.Key, 1, 0, OffenceStep.Propose), evidence.Offence);
        Assert.Equal(1, t.Core.DroppedCount(DropReason.Equivocation));
        Assert.DoesNotContain(outputs, o => o is ConsensusOutput.ValidateBlock v && v.Block.Hash() == second.Hash());
        // The same proposal again is neither new evidence nor a new proposal.
        Assert.Empty(t.Handle(new ConsensusInput.ProposalReceived(proposer.Propose(1, 0, -1, first))));
    }

    [Fact]
    public void Gossiped_evidence_should_be_pooled_once_and_offered_to_the_next_proposal()
    {
        var t = Started();
        var evidence = DoubleVote(t.Others[0], 1);
        Assert.Empty(t.Handle(new ConsensusInput.EvidenceReceived(evidence)));
        Assert.Equal(evidence, Assert.Single(t.Core.Evidence.Pending));
        t.Handle(new ConsensusInput.EvidenceReceived(evidence));
        Assert.Single(t.Core.Evidence.Pending);
        // Conflicting votes for the same offence seen later add nothing: the offence is already held.
        t.SignAddVotes(VoteType.Prevote, 0, Hash32.Compute([1]), t.Others[0]);
        Assert.Empty(t.SignAddVotes(VoteType.Prevote, 0, Hash32.Compute([3]), t.Others[0]).OfType<ConsensusOutput.EvidenceFound>());
        Assert.Single(t.Core.Evidence.Pending);
    }

    [Fact]
    public void Gossiped_evidence_that_is_forged_foreign_from_the_future_or_against_a_stranger_should_be_dropped()
    {
        var t = Started();
        var good = DoubleVote(t.Others[0], 1);
        t.Handle(new ConsensusInput.EvidenceReceived(good with { VoteB = good.VoteB with { Signature = good.VoteA.Signature } }));
        var stranger = new ValidatorStub(ConsensusFixture.Key(40));
        t.Handle(new ConsensusInput.EvidenceReceived(DoubleVote(stranger, 1)));
        t.Handle(new ConsensusInput.EvidenceReceived(DoubleVote(t.Others[1], 2)));
        t.Handle(new ConsensusInput.EvidenceReceived(good with { VoteB = good.VoteA }));

        Assert.Empty(t.Core.Evidence.Pending);
        Assert.Equal(1, t.Core.DroppedCount(DropReason.BadSignature));
        Assert.Equal(1, t.Core.DroppedCount(DropReason.UnknownValidator));
        Assert.Equal(1, t.Core.DroppedCount(DropReason.WrongHeight));
        Assert.Equal(1, t.Core.DroppedCount(DropReason.InvalidMessage));
    }

    [Fact]
    public void Pool_should_keep_one_piece_per_offence_in_order_forget_committed_and_expired_offences_and_stay_bounded()
    {
        var stubs = ConsensusFixture.Stubs(2);
        var pool = new EvidencePool();
        var late = DoubleVote(stubs[0], 9);
        var early = DoubleVote(stubs[1], 3);
        Assert.True(pool.Add(late));
        Assert.True(pool.Add(early));
        Assert.False(pool.Add(DuplicateVoteEvidence.Create(late.VoteA, stubs[0].Vote(VoteType.Prevote, 9, 0, Hash32.Zero).ToSigned())));
        Assert.Equal([early, late], pool.Pending);
        Assert.Equal([early], pool.Take(1));

        pool.MarkCommitted([early]);
        Assert.False(pool.Add(early));
        Assert.True(pool.Knows(early.Offence));
        Assert.Equal([late], pool.Pending);

        pool.Prune(10);
        Assert.Empty(pool.Pending);
        Assert.False(pool.Knows(early.Offence));

        for (ulong h = 1; h <= EvidencePool.MaxPending; h++) Assert.True(pool.Add(DoubleVote(stubs[0], 100 + h)));
        Assert.False(pool.Add(DoubleVote(stubs[1], 100)));
        Assert.Equal(Block.MaxEvidence, pool.Take(Block.MaxEvidence).Count);
    }

    [Fact]
    public void Deciding_a_block_that_carries_evidence_should_drop_it_from_the_pool()
    {
        var all = ConsensusFixture.Stubs(4);
        var t = new CoreUnderTest(all, CoreUnderTest.IndexOfProposer(all, 3));
        t.Start();
        var cheat = t.Others[0];
        var evidence = DoubleVote(cheat, 1, 5);
        t.Handle(new ConsensusInput.EvidenceReceived(evidence));
        var proposer = t.ProposerStub(0);
        var plain = ConsensusFixture.MakeBlock(1, proposer.Key, Commit.Empty, t.Validators);
        var block = plain with { Evidence = [evidence], Header = plain.Header with { EvidenceHash = Block.ComputeEvidenceHash([evidence]) } };
        t.ReceiveProposal(0, block: block);
        var hash = block.Hash();
        t.SignAddVotes(VoteType.Prevote, 0, hash, t.Others);
        var outputs = t.SignAddVotes(VoteType.Precommit, 0, hash, t.Others);

        Assert.Single(outputs.OfType<ConsensusOutput.CommitBlock>());
        Assert.Empty(t.Core.Evidence.Pending);
        Assert.True(t.Core.Evidence.Knows(evidence.Offence));
    }
}
