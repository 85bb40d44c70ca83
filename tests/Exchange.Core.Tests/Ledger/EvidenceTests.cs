using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;
using static Exchange.Core.Tests.Ledger.EvidenceFixtures;
using static Exchange.Core.Tests.Ledger.LedgerFixtures;

namespace Exchange.Core.Tests.Ledger;

public class EvidenceTests
{
    private static readonly Hash32 BlockOne = Hash32.Compute("block-1"u8);
    private static readonly Hash32 BlockTwo = Hash32.Compute("block-2"u8);

    [Fact]
    public void Double_vote_and_double_proposal_should_verify_for_their_chain_only()
    {
        EquivocationEvidence[] all = [DoublePrevote(Alice, ChainA, 5), BlockAndNil(Alice, ChainA, 5), DoubleProposal(Alice, ChainA, 5, 1)];
        foreach (var e in all)
        {
            Assert.True(e.Verify(ChainA).IsValid, e.Verify(ChainA).ToString());
            Assert.Equal(EvidenceError.InvalidSignature, e.Verify(ChainB).Error);
            Assert.Equal(Alice.PublicKey, e.Offender);
            Assert.Equal(5UL, e.Height);
        }
        Assert.Equal(new Offence(Alice.PublicKey, 5, 1, OffenceStep.Propose), all[2].Offence);
        Assert.Equal(OffenceStep.Precommit, all[1].Offence.Step);
    }

    [Fact]
    public void Precommit_signing_hash_should_be_the_commit_signing_hash()
    {
        Assert.Equal(Commit.PrecommitSigningHash(ChainA, 3, 2, BlockOne), SignedVote.SigningHash(ChainA, VoteType.Precommit, 3, 2, BlockOne));
        Assert.NotEqual(SignedVote.SigningHash(ChainA, VoteType.Prevote, 3, 2, BlockOne), SignedVote.SigningHash(ChainA, VoteType.Precommit, 3, 2, BlockOne));
    }

    [Fact]
    public void A_forged_signature_should_be_refused()
    {
        var e = DoublePrevote(Alice, ChainA, 5);
        var forged = e with { VoteB = e.VoteB with { Signature = e.VoteA.Signature } };
        Assert.Equal(EvidenceError.InvalidSignature, forged.Verify(ChainA).Error);
        var otherSigner = e with { VoteB = Vote(Bob, ChainA, VoteType.Prevote, 5, 0, e.VoteB.BlockHash) with { Validator = Alice.PublicKey } };
        Assert.Equal(EvidenceError.InvalidSignature, otherSigner.Verify(ChainA).Error);
    }

    [Fact]
    public void Malformed_vote_evidence_should_name_its_error()
    {
        var a = Vote(Alice, ChainA, VoteType.Prevote, 5, 0, BlockOne);
        var (lo, hi) = BlockOne.CompareTo(BlockTwo) < 0 ? (BlockOne, BlockTwo) : (BlockTwo, BlockOne);
        var first = Vote(Alice, ChainA, VoteType.Prevote, 5, 0, lo);
        var second = Vote(Alice, ChainA, VoteType.Prevote, 5, 0, hi);
        Assert.True(new DuplicateVoteEvidence(first, second).Validate().IsValid);
        Assert.Equal(EvidenceError.NonCanonicalOrder, new DuplicateVoteEvidence(second, first).Validate().Error);
        Assert.Equal(EvidenceError.NotConflicting, new DuplicateVoteEvidence(a, a).Validate().Error);
        Assert.Equal(EvidenceError.OffenderMismatch, new DuplicateVoteEvidence(first, Vote(Bob, ChainA, VoteType.Prevote, 5, 0, hi)).Validate().Error);
        Assert.Equal(EvidenceError.DifferentStep, new DuplicateVoteEvidence(first, Vote(Alice, ChainA, VoteType.Prevote, 5, 1, hi)).Validate().Error);
        Assert.Equal(EvidenceError.DifferentStep, new DuplicateVoteEvidence(first, Vote(Alice, ChainA, VoteType.Precommit, 5, 0, hi)).Validate().Error);
        Assert.Equal(EvidenceError.DifferentStep, new DuplicateVoteEvidence(first, Vote(Alice, ChainA, VoteType.Prevote, 6, 0, hi)).Validate().Error);
        Assert.Equal(EvidenceError.ZeroHeight, DoublePrevote(Alice, ChainA, 0).Validate().Error);
        Assert.Equal(EvidenceError.UnknownKind, new DuplicateVoteEvidence(first with { Type = (VoteType)9 }, second with { Type = (VoteType)9 }).Validate().Error);
    }

    [Fact]
    public void Malformed_proposal_evidence_should_name_its_error()
    {
        var p = Proposal(Alice, ChainA, 5, 2, -1, BlockOne);
        Assert.Equal(EvidenceError.NotConflicting, new DuplicateProposalEvidence(p, p).Validate().Error);
        // The same block with another proof-of-lock round is a different proposal.
        Assert.True(DuplicateProposalEvidence.Create(p, Proposal(Alice, ChainA, 5, 2, 1, BlockOne)).Verify(ChainA).IsValid);
        Assert.Equal(EvidenceError.PolRoundOutOfRange, DuplicateProposalEvidence.Create(p, Proposal(Alice, ChainA, 5, 2, 2, BlockTwo)).Validate().Error);
        Assert.Equal(EvidenceError.DifferentStep, DuplicateProposalEvidence.Create(p, Proposal(Alice, ChainA, 5, 3, -1, BlockTwo)).Validate().Error);
        Assert.Equal(EvidenceError.OffenderMismatch, DuplicateProposalEvidence.Create(p, Proposal(Bob, ChainA, 5, 2, -1, BlockTwo)).Validate().Error);
        var ordered = DoubleProposal(Alice, ChainA, 5);
        Assert.Equal(EvidenceError.NonCanonicalOrder, new DuplicateProposalEvidence(ordered.ProposalB, ordered.ProposalA).Validate().Error);
    }

    [Fact]
    public void Evidence_should_round_trip_and_the_decoder_should_refuse_what_validate_refuses()
    {
        EquivocationEvidence[] all = [DoublePrevote(Alice, ChainA, 300, 7), DoubleProposal(Bob, ChainA, 9, 4)];
        foreach (var e in all)
        {
            var bytes = e.Encode();
            var decoded = EquivocationEvidence.Decode(bytes);
            Assert.Equal(e, decoded);
            Assert.Equal(bytes, decoded.Encode());
            Assert.True(bytes.Length <= EquivocationEvidence.MaxEncodedLength);
        }
        var vote = DoublePrevote(Alice, ChainA, 5);
        Assert.Equal(DecodeError.NonCanonicalOrder, DecodeErrorOf(new DuplicateVoteEvidence(vote.VoteB, vote.VoteA).Encode()));
        Assert.Equal(DecodeError.ValueOutOfRange, DecodeErrorOf(new DuplicateVoteEvidence(vote.VoteA, vote.VoteA).Encode()));
        Assert.Equal(DecodeError.TrailingBytes, DecodeErrorOf([.. vote.Encode(), 0]));
        Assert.Equal(DecodeError.UnknownEnumValue, DecodeErrorOf([3, .. vote.Encode()[1..]]));
        Assert.Equal(DecodeError.Truncated, DecodeErrorOf(vote.Encode()[..^1]));
    }

    private static DecodeError DecodeErrorOf(byte[] bytes)
    {
        Assert.False(EquivocationEvidence.TryDecode(bytes, out _, out var error));
        return error!.Error;
    }

    [Fact]
    public void Block_should_commit_to_its_evidence_and_carry_one_piece_per_offence_in_order()
    {
        var early = DoublePrevote(Alice, ChainA, 1);
        var late = DoubleProposal(Bob, ChainA, 2);
        var block = WithEvidence(BlockFixtures.ChainOf(3, txsPerBlock: 1)[2], early, late);
        Assert.True(block.Validate().IsValid, block.Validate().Message);
        var decoded = Block.Decode(block.Encode());
        Assert.Equal(block, decoded);
        Assert.Equal(block.Hash(), decoded.Hash());

        Assert.Equal(BlockError.EvidenceHashMismatch, (block with { Evidence = [early] }).Validate().Error);
        Assert.Equal(BlockError.InvalidEvidence, WithEvidence(block, late, early).Validate().Error);
        var sameOffence = DuplicateVoteEvidence.Create(early.VoteA, Vote(Alice, ChainA, VoteType.Prevote, 1, 0, Hash32.Zero));
        var twice = WithEvidence(block, early, sameOffence);
        Assert.Equal(BlockError.InvalidEvidence, twice.Validate().Error);
        Assert.Contains(nameof(EvidenceError.DuplicateInBlock), twice.Validate().Message);
        Assert.Equal(DecodeError.NonCanonicalOrder, Assert.Throws<DecodeException>(() => Block.Decode(WithEvidence(block, late, early).Encode())).Error);
        var tooMany = Enumerable.Range(1, Block.MaxEvidence + 1).Select(h => (EquivocationEvidence)DoublePrevote(Alice, ChainA, (ulong)h)).ToArray();
        Assert.Equal(BlockError.TooMuchEvidence, WithEvidence(block, tooMany).Validate().Error);
        Assert.Equal(DecodeError.LengthOutOfRange, Assert.Throws<DecodeException>(() => Block.Decode(WithEvidence(block, tooMany).Encode())).Error);
    }

    internal static Block WithEvidence(Block block, params EquivocationEvidence[] evidence) =>
        block with { Evidence = evidence, Header = block.Header with { EvidenceHash = Block.ComputeEvidenceHash(evidence) } };
}
