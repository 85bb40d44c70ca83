using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Consensus.Tests;

/// <summary>The upon-rules of Algorithm 1 on one core fed by validator stubs. The core under test never proposes in rounds 0-2.</summary>
public class RoundRuleTests
{
    private static CoreUnderTest NotProposerInFirstRounds()
    {
        var all = ConsensusFixture.Stubs(4);
        return new CoreUnderTest(all, CoreUnderTest.IndexOfProposer(all, 3));
    }

    [Fact]
    public void Timeouts_should_produce_nil_prevote_nil_precommit_and_a_new_round()
    {
        var t = NotProposerInFirstRounds();
        t.EnsureNewRound(t.Start(), 0);

        var prevote = t.Handle(new ConsensusInput.TimeoutElapsed(1, 0, RoundStep.Propose)).Single(VoteType.Prevote);   // lines 57-60
        Assert.True(prevote.IsNil);
        var outputs = t.SignAddVotes(VoteType.Prevote, 0, Hash32.Zero, t.Others);
        Assert.Contains(outputs, o => o is ConsensusOutput.ScheduleTimeout { Step: RoundStep.Prevote });                // line 34
        Assert.True(outputs.Single(VoteType.Precommit).IsNil);                                                          // line 44
        outputs = t.SignAddVotes(VoteType.Precommit, 0, Hash32.Zero, t.Others);
        var timeout = Assert.Single(outputs.OfType<ConsensusOutput.ScheduleTimeout>(), o => o.Step == RoundStep.Precommit); // line 47
        Assert.Equal(50, timeout.DurationMs);
        var next = t.Handle(new ConsensusInput.TimeoutElapsed(1, 0, RoundStep.Precommit));                               // lines 65-67
        t.EnsureNewRound(next, 1);
        Assert.Equal(110, Assert.Single(next.OfType<ConsensusOutput.ScheduleTimeout>()).DurationMs);                    // base + delta × round
        Assert.Empty(t.Handle(new ConsensusInput.TimeoutElapsed(1, 0, RoundStep.Propose)));
        Assert.Equal(1, t.Core.DroppedCount(DropReason.Stale));
    }

    [Fact]
    public void Prevote_timeout_should_precommit_nil_when_prevotes_are_split()
    {
        var t = NotProposerInFirstRounds();
        t.Start();
        var (block, _) = t.ReceiveProposal(0);
        t.SignAddVotes(VoteType.Prevote, 0, Hash32.Zero, t.Others[0]);
        t.SignAddVotes(VoteType.Prevote, 0, block.Hash(), t.Others[1]);
        Assert.Equal(RoundStep.Prevote, t.Core.Step);
        Assert.True(t.Handle(new ConsensusInput.TimeoutElapsed(1, 0, RoundStep.Prevote)).Single(VoteType.Precommit).IsNil);  // lines 61-64
    }

    [Fact]
    public void Invalid_block_should_be_prevoted_nil()
    {
        var t = NotProposerInFirstRounds();
        t.Start();
        var (_, outputs) = t.ReceiveProposal(0, valid: false);
        Assert.True(outputs.Single(VoteType.Prevote).IsNil);                                                           // line 26
    }

    [Fact]
    public void Valid_block_should_be_prevoted_then_locked_and_precommitted_on_proof_of_lock()
    {
        var t = NotProposerInFirstRounds();
        t.Start();
        var (block, outputs) = t.ReceiveProposal(0);
        Assert.Equal(block.Hash(), outputs.Single(VoteType.Prevote).BlockHash);                                        // line 24
        outputs = t.SignAddVotes(VoteType.Prevote, 0, block.Hash(), t.Others[0], t.Others[1]);
        Assert.Equal(block.Hash(), outputs.Single(VoteType.Precommit).BlockHash);                                      // line 40
        Assert.Equal(0, t.Core.LockedRound);
        Assert.Equal(block.Hash(), t.Core.ValidValue);
    }

    [Fact]
    public void Locked_validator_should_prevote_nil_for_another_value_until_a_newer_proof_of_lock()
    {
        var t = NotProposerInFirstRounds();
        t.Start();
        var (b, _) = t.ReceiveProposal(0, timeMs: 1);
        t.SignAddVotes(VoteType.Prevote, 0, b.Hash(), t.Others[0], t.Others[1]);
        Assert.Equal(0, t.Core.LockedRound);
        t.SignAddVotes(VoteType.Precommit, 0, Hash32.Zero, t.Others);
        t.Handle(new ConsensusInput.TimeoutElapsed(1, 0, RoundStep.Precommit));

        // Round 1: a fresh proposal of another block. Locked on b, the core prevotes nil (line 23).
        var (c, outputs) = t.ReceiveProposal(1, timeMs: 2);
        Assert.True(outputs.Single(VoteType.Prevote).IsNil);
        Assert.Equal(0, t.Core.LockedRound);
        t.Handle(new ConsensusInput.TimeoutElapsed(1, 1, RoundStep.Prevote));
        t.Handle(new ConsensusInput.TimeoutElapsed(1, 1, RoundStep.Precommit));
        Assert.Equal(2u, t.Core.Round);

        // Round 2: c again with vr = 1. Without the proof of lock the core waits; with 2f+1 round-1 prevotes for c it prevotes c (lines 28-30).
        var proposer = t.ProposerStub(2);
        outputs = t.Handle(new ConsensusInput.ProposalReceived(proposer.Propose(1, 2, 1, c))).ToList();
        Assert.Empty(outputs.Votes());
        outputs = t.SignAddVotes(VoteType.Prevote, 1, c.Hash(), t.Others);
        Assert.Equal(c.Hash(), outputs.Single(VoteType.Prevote).BlockHash);
    }

    [Fact]
    public void Locked_validator_should_prevote_its_locked_value_when_reproposed()
    {
        var t = NotProposerInFirstRounds();
        t.Start();
        var (b, _) = t.ReceiveProposal(0);
        t.SignAddVotes(VoteType.Prevote, 0, b.Hash(), t.Others[0], t.Others[1]);
        t.SignAddVotes(VoteType.Precommit, 0, Hash32.Zero, t.Others);
        t.Handle(new ConsensusInput.TimeoutElapsed(1, 0, RoundStep.Precommit));
        var outputs = t.Handle(new ConsensusInput.ProposalReceived(t.ProposerStub(1).Propose(1, 1, 0, b)));
        Assert.Equal(b.Hash(), outputs.Single(VoteType.Prevote).BlockHash);                                            // line 30
    }

    [Fact]
    public void One_third_from_a_higher_round_should_make_the_core_skip_ahead()
    {
        var t = NotProposerInFirstRounds();
        t.Start();
        var outputs = t.SignAddVotes(VoteType.Prevote, 2, Hash32.Zero, t.Others[0]);
        Assert.Equal(0u, t.Core.Round);                          // 1/4 of the power is not f+1
        outputs = t.SignAddVotes(VoteType.Precommit, 2, Hash32.Zero, t.Others[1]);
        t.EnsureNewRound(outputs, 2);                            // lines 55-56
    }

    [Fact]
    public void Two_thirds_precommits_should_decide_the_block()
    {
        var t = NotProposerInFirstRounds();
        t.Start();
        var (b, _) = t.ReceiveProposal(0);
        var outputs = t.SignAddVotes(VoteType.Precommit, 0, b.Hash(), t.Others);
        var commit = Assert.Single(outputs.OfType<ConsensusOutput.CommitBlock>());                                     // lines 49-51
        Assert.Equal(b.Hash(), commit.Block.Hash());
        Assert.Equal(Exchange.Core.Ledger.CommitCheck.Valid,
            commit.Commit.Verify(ConsensusFixture.Chain, 1, b.Hash(), t.Validators.PowerByKey(), t.Validators.TotalPower));
        Assert.True(t.Core.Decided);
    }

    [Fact]
    public void Proposer_should_request_a_payload_and_propose_it()
    {
        var all = ConsensusFixture.Stubs(4);
        var t = new CoreUnderTest(all, CoreUnderTest.IndexOfProposer(all, 0));
        var request = Assert.Single(t.Start().OfType<ConsensusOutput.RequestPayload>());
        var block = ConsensusFixture.MakeBlock(1, t.Me.Key, request.LastCommit, t.Validators);
        var outputs = t.Handle(new ConsensusInput.PayloadReady(1, 0, block));
        var proposal = Assert.IsType<Proposal>(Assert.Single(outputs.OfType<ConsensusOutput.Broadcast>(), b => b.Message is Proposal).Message);
        Assert.Equal(-1, proposal.PolRound);
        Assert.Equal(block.Hash(), outputs.Single(VoteType.Prevote).BlockHash);
    }
}
