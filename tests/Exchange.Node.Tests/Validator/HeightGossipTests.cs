using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Node.Validator;

namespace Exchange.Node.Tests.Validator;

public sealed class HeightGossipTests
{
    private static readonly byte[] Aux = new byte[32];
    private static readonly KeyPair Key = TestKeys.Validator(0);

    private static Vote Prevote(ulong height, uint round, int n = 0)
    {
        var v = new Vote(VoteType.Prevote, height, round, n == 0 ? Hash32.Zero : TestKeys.Hash(n), Key.PublicKey, null, Signature.Empty);
        return v with { Signature = Key.Sign(v.SigningHash(TestChain.ChainId), Aux) };
    }

    private static Proposal ProposalAt(ulong height, uint round)
    {
        var set = ValidatorSet.Create([(Key.PublicKey, 10L)]);
        var block = TestChain.Build(height, round, 1_000, height == 1 ? Commit.Empty : new Commit(height - 1, 0, TestKeys.Hash(9), []), set, Key.PublicKey);
        var p = new Proposal(height, round, -1, block, Key.PublicKey, Signature.Empty);
        return p with { Signature = Key.Sign(p.SigningHash(TestChain.ChainId), Aux) };
    }

    [Fact]
    public void Early_buffer_should_hold_at_most_its_limits_and_refuse_copies()
    {
        var gossip = new HeightGossip(maxEarlyVotes: 2, maxEarlyProposals: 1);
        gossip.Reset(1);
        Assert.Equal(BufferResult.Buffered, gossip.Buffer(Prevote(2, 0, 1)));
        Assert.Equal(BufferResult.Duplicate, gossip.Buffer(Prevote(2, 0, 1)));
        Assert.Equal(BufferResult.Buffered, gossip.Buffer(Prevote(2, 0, 2)));
        Assert.Equal(BufferResult.Full, gossip.Buffer(Prevote(2, 0, 3)));
        Assert.Equal(BufferResult.Buffered, gossip.Buffer(ProposalAt(2, 0)));
        Assert.Equal(BufferResult.Full, gossip.Buffer(ProposalAt(2, 1)));
        Assert.Equal(3, gossip.EarlyCount);
    }

    [Fact]
    public void Reset_should_hand_over_only_early_messages_of_the_new_height_and_forget_the_old_height()
    {
        var gossip = new HeightGossip(10, 2);
        gossip.Reset(1);
        gossip.AddOwn(Prevote(1, 0));
        gossip.AddPassed(Prevote(1, 0, 5));
        gossip.Buffer(Prevote(2, 0, 1));
        gossip.Buffer(Prevote(3, 0, 1));

        var early = gossip.Reset(2);

        Assert.Equal([Prevote(2, 0, 1)], early);
        Assert.Empty(gossip.Own);
        Assert.Empty(gossip.Relay);
        Assert.False(gossip.Seen(Prevote(1, 0)));
        Assert.Equal(0, gossip.EarlyCount);
    }

    [Fact]
    public void Relay_should_offer_the_current_previous_locked_and_valid_rounds_only()
    {
        var gossip = new HeightGossip(10, 2);
        gossip.Reset(1);
        for (uint r = 0; r <= 6; r++) gossip.AddPassed(Prevote(1, r, 1));
        gossip.AddPassed(Prevote(1, 0, 1));   // a copy is kept once

        var rounds = gossip.RelayFor(round: 5, lockedRound: 1, validRound: 2).Select(m => m.Round).ToList();

        Assert.Equal([1U, 2U, 4U, 5U], rounds);
        Assert.True(gossip.Seen(Prevote(1, 6, 1)));
        Assert.Equal(7, gossip.Relay.Count);
    }
}
