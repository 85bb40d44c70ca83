using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;

namespace Exchange.Consensus.Tests;

public class MessageCodecTests
{
    private static readonly ValidatorStub Alice = new(ConsensusFixture.Key(0));

    [Fact]
    public void Vote_with_extension_should_round_trip_and_verify()
    {
        var vote = Alice.Vote(VoteType.Precommit, 3, 2, Hash32.Compute([7]), ConsensusFixture.Observation(Alice.Key, 3, 42_000_000_000));
        var decoded = Vote.Decode(vote.Encode());
        Assert.Equal(vote, decoded);
        Assert.True(decoded.VerifySignatures(ConsensusFixture.Chain));
        Assert.Equal(Commit.PrecommitSigningHash(ConsensusFixture.Chain, 3, 2, Hash32.Compute([7])), decoded.SigningHash(ConsensusFixture.Chain));
    }

    [Fact]
    public void Decoder_should_refuse_an_extension_on_a_prevote()
    {
        var vote = Alice.Vote(VoteType.Prevote, 3, 0, Hash32.Compute([7]), ConsensusFixture.Observation(Alice.Key, 3, 1));
        Assert.Equal(MessageError.ExtensionNotAllowed, vote.Validate().Error);
        Assert.False(Vote.TryDecode(vote.Encode(), out _, out var error));
        Assert.Equal(DecodeError.ValueOutOfRange, error!.Error);
    }

    [Fact]
    public void Decoder_should_refuse_trailing_bytes_and_zero_height()
    {
        var bytes = Alice.Vote(VoteType.Prevote, 1, 0, Hash32.Zero).Encode();
        Assert.False(Vote.TryDecode([.. bytes, 0], out _, out var trailing));
        Assert.Equal(DecodeError.TrailingBytes, trailing!.Error);
        Assert.Equal(MessageError.ZeroHeight, Alice.Vote(VoteType.Prevote, 0, 0, Hash32.Zero).Validate().Error);
    }

    [Fact]
    public void Proposal_should_round_trip_and_refuse_a_proof_of_lock_round_not_below_its_round()
    {
        var set = ValidatorSet.Create([(Alice.Key, 1L)]);
        var block = ConsensusFixture.MakeBlock(1, Alice.Key, Commit.Empty, set);
        var proposal = Alice.Propose(1, 2, 1, block);
        var decoded = Proposal.Decode(proposal.Encode());
        Assert.Equal(block.Hash(), decoded.BlockHash);
        Assert.True(decoded.VerifySignature(ConsensusFixture.Chain));
        Assert.Equal(MessageError.PolRoundOutOfRange, Alice.Propose(1, 2, 2, block).Validate().Error);
        Assert.False(Proposal.TryDecode(Alice.Propose(1, 2, 2, block).Encode(), out _, out _));
    }
}
