using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Consensus.Tests;

public class ByzantineTests
{
    private static CoreUnderTest Started()
    {
        var all = ConsensusFixture.Stubs(4);
        var t = new CoreUnderTest(all, CoreUnderTest.IndexOfProposer(all, 3));
        t.Start();
        return t;
    }

    [Fact]
    public void Votes_from_unknown_validators_wrong_heights_and_bad_signatures_should_be_dropped_and_counted()
    {
        var t = Started();
        var stranger = new ValidatorStub(ConsensusFixture.Key(50));
        var hash = Hash32.Compute([1]);
        Assert.Empty(t.Handle(new ConsensusInput.VoteReceived(stranger.Vote(VoteType.Prevote, 1, 0, hash))));
        Assert.Empty(t.Handle(new ConsensusInput.VoteReceived(t.Others[0].Vote(VoteType.Prevote, 2, 0, hash))));
        var forged = t.Others[1].Vote(VoteType.Prevote, 1, 0, hash) with { BlockHash = Hash32.Compute([2]) };
        Assert.Empty(t.Handle(new ConsensusInput.VoteReceived(forged)));
        var forgedPrecommit = t.Others[2].Vote(VoteType.Prevote, 1, 0, hash) with { Type = VoteType.Precommit };
        Assert.Empty(t.Handle(new ConsensusInput.VoteReceived(forgedPrecommit)));

        Assert.Equal(1, t.Core.DroppedCount(DropReason.UnknownValidator));
        Assert.Equal(1, t.Core.DroppedCount(DropReason.WrongHeight));
        Assert.Equal(2, t.Core.DroppedCount(DropReason.BadSignature));
    }

    [Fact]
    public void Signatures_should_be_checked_through_the_configured_verifier()
    {
        var asked = new List<PublicKey>();
        var refuseSecond = (SignatureVerifier)((in PublicKey key, in Hash32 message, in Signature signature) =>
        {
            asked.Add(key);
            return asked.Count == 2 ? SignatureCheck.InvalidSignature : Schnorr.Verify(key, message, signature);
        });
        var all = ConsensusFixture.Stubs(4);
        var t = new CoreUnderTest(all, CoreUnderTest.IndexOfProposer(all, 3), verifier: refuseSecond);
        t.Start();
        var hash = Hash32.Compute([1]);
        t.Handle(new ConsensusInput.VoteReceived(t.Others[0].Vote(VoteType.Prevote, 1, 0, hash)));
        t.Handle(new ConsensusInput.VoteReceived(t.Others[1].Vote(VoteType.Prevote, 1, 0, hash)));

        Assert.Equal([t.Others[0].Key, t.Others[1].Key], asked);
        // The verifier's word is final: the second vote is refused although its signature is good.
        Assert.Equal(1, t.Core.DroppedCount(DropReason.BadSignature));
    }

    [Fact]
    public void A_resent_copy_of_a_kept_vote_should_be_dropped_before_its_signature_is_checked()
    {
        var t = Started();
        var vote = t.Others[0].Vote(VoteType.Prevote, 1, 0, Hash32.Compute([1]));
        t.Handle(new ConsensusInput.VoteReceived(vote));
        t.Handle(new ConsensusInput.VoteReceived(vote));
        Assert.Equal(1, t.Core.DroppedCount(DropReason.Duplicate));
        // A copy with another signature is not the kept vote: it is checked, and refused.
        t.Handle(new ConsensusInput.VoteReceived(vote with { Signature = t.Others[1].Vote(VoteType.Prevote, 1, 0, Hash32.Compute([1])).Signature }));
        Assert.Equal(1, t.Core.DroppedCount(DropReason.BadSignature));
    }

    [Fact]
    public void Proposal_from_a_validator_that_is_not_the_proposer_should_be_dropped()
    {
        var t = Started();
        var impostor = t.Others.First(s => s.Key != t.Core.ProposerOf(0));
        var block = ConsensusFixture.MakeBlock(1, impostor.Key, Exchange.Core.Ledger.Commit.Empty, t.Validators);
        Assert.Empty(t.Handle(new ConsensusInput.ProposalReceived(impostor.Propose(1, 0, -1, block))));
        Assert.Equal(1, t.Core.DroppedCount(DropReason.NotProposer));
    }

    [Fact]
    public void Equivocation_should_produce_evidence_for_the_next_proposer()
    {
        var t = Started();
        var cheat = t.Others[0];
        t.SignAddVotes(VoteType.Prevote, 0, Hash32.Compute([1]), cheat);
        var outputs = t.SignAddVotes(VoteType.Prevote, 0, Hash32.Compute([2]), cheat);

        var found = Assert.Single(outputs.OfType<ConsensusOutput.EvidenceFound>()).Evidence;
        Assert.Equal(cheat.Key, found.Offender);
        Assert.True(found.Verify(ConsensusFixture.Chain).IsValid);
        Assert.Equal(found, Assert.Single(t.Core.Evidence.Pending));
        Assert.Equal(1, t.Core.DroppedCount(DropReason.Equivocation));

        // The same equivocation again is not new evidence.
        Assert.Empty(t.SignAddVotes(VoteType.Prevote, 0, Hash32.Compute([2]), cheat).OfType<ConsensusOutput.EvidenceFound>());
    }

    [Fact]
    public void Pending_evidence_should_go_to_the_payload_request_of_this_node_when_it_proposes()
    {
        var t = Started();
        t.SignAddVotes(VoteType.Precommit, 0, Hash32.Compute([1]), t.Others[0]);
        t.SignAddVotes(VoteType.Precommit, 0, Hash32.Compute([2]), t.Others[0]);
        // Rounds 0-2 pass by timeouts; the core proposes in round 3.
        for (uint r = 0; r < 3; r++)
        {
            t.Handle(new ConsensusInput.TimeoutElapsed(1, r, RoundStep.Propose));
            t.Handle(new ConsensusInput.TimeoutElapsed(1, r, RoundStep.Prevote));
            var outputs = t.Handle(new ConsensusInput.TimeoutElapsed(1, r, RoundStep.Precommit));
            if (r == 2) Assert.Single(Assert.Single(outputs.OfType<ConsensusOutput.RequestPayload>()).Evidence);
        }
    }

    [Fact]
    public void Restarted_core_should_refuse_to_sign_a_conflicting_vote_with_the_persisted_state()
    {
        var all = ConsensusFixture.Stubs(4);
        var me = CoreUnderTest.IndexOfProposer(all, 3);
        var first = new CoreUnderTest(all, me);
        first.Start();
        var (b, outputs) = first.ReceiveProposal(0, timeMs: 1);
        Assert.Equal(b.Hash(), outputs.Single(VoteType.Prevote).BlockHash);
        Assert.Equal(SignStep.Prevote, first.Store.Load()!.Step);

        // Crash and restart over the same store: a different proposal for (1, 0) must not get a prevote.
        var second = new CoreUnderTest(all, me, first.Store);
        second.Start();
        var (_, replay) = second.ReceiveProposal(0, timeMs: 2);
        Assert.Empty(replay.Votes());
        Assert.Equal(1, second.Core.DroppedCount(DropReason.SignRefused));
        Assert.Equal(RoundStep.Prevote, second.Core.Step);
    }

    [Fact]
    public void Signer_should_resign_only_the_identical_message_at_the_same_step()
    {
        var store = new InMemorySignStateStore();
        var key = ConsensusFixture.Key(0);
        var signer = new PrivValidator(key, store);
        var a = new Vote(VoteType.Prevote, 5, 1, Hash32.Compute([1]), key.PublicKey, null, Signature.Empty);
        var signed = signer.SignVote(ConsensusFixture.Chain, a)!;
        Assert.Equal(signed, new PrivValidator(key, store).SignVote(ConsensusFixture.Chain, a));
        Assert.Null(new PrivValidator(key, store).SignVote(ConsensusFixture.Chain, a with { BlockHash = Hash32.Compute([2]) }));
        Assert.Null(signer.SignVote(ConsensusFixture.Chain, a with { Round = 0 }));
        Assert.NotNull(signer.SignVote(ConsensusFixture.Chain, a with { Type = VoteType.Precommit }));
        Assert.Equal(2, store.Saves);
        Assert.Equal(1, signer.Refusals);   // the other refusal was the second instance's
    }
}
