using Exchange.Node.Mempool;
using static Exchange.Node.Tests.Mempool.MempoolFixture;

namespace Exchange.Node.Tests.Mempool;

public sealed class AccountViewTests
{
    [Fact]
    public void A_snapshot_should_agree_with_the_live_state_and_not_move_with_it()
    {
        var chain = new MempoolFixture();
        chain.Commit(Tx(Alice, 1, ApproveDaveForAlice()), Tx(Bob, 1, Pay(250, Alice)));
        var live = new ExchangeStateView(chain.State);
        var snapshot = chain.View();

        foreach (var key in new[] { Alice, Bob, Carol, Dave, Bridge, Authority, MempoolFixture.Validator })
        {
            Assert.Equal(live.TryGetAccount(key.PublicKey, out var a), snapshot.TryGetAccount(key.PublicKey, out var b));
            Assert.Equal(a, b);
        }
        Assert.True(snapshot.TryGetAccount(Dave.PublicKey, out var dave) && dave.IsAgent);
        Assert.True(snapshot.TryGetAccount(Bob.PublicKey, out var bob) && bob.Nonce == 1 && bob.Balance == Funding.Raw - 250_000_000);
        Assert.False(snapshot.TryGetAccount(Carol.PublicKey, out _));
        foreach (var i in chain.State.Instruments) Assert.Equal(InstrumentStatus.Trading, snapshot.InstrumentStatusOf(i.Name));
        Assert.Equal(InstrumentStatus.NotListed, snapshot.InstrumentStatusOf("ETH-27NOV26-1000-C"));
        Assert.Equal((Chain, 1ul, Bridge.PublicKey, Authority.PublicKey), (snapshot.ChainId, snapshot.Height, snapshot.Bridge, snapshot.Authority));

        chain.CommitAt(ExpiryMs, Tx(Alice, 2, Pay()));

        Assert.True(snapshot.TryGetAccount(Alice.PublicKey, out var alice) && alice.Nonce == 1);
        Assert.Equal(InstrumentStatus.Trading, snapshot.InstrumentStatusOf(Call));
        Assert.True(live.TryGetAccount(Alice.PublicKey, out var aliceNow) && aliceNow.Nonce == 2);
        Assert.Equal(InstrumentStatus.Closed, live.InstrumentStatusOf(Call));
        Assert.Equal(2ul, live.Height);
    }
}
