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

    [Fact]
    public void A_snapshot_carried_forward_block_by_block_should_equal_a_whole_copy()
    {
        var chain = new MempoolFixture(traders: 6);
        var carried = chain.View();
        var ask = Bid() with { Side = Exchange.Core.Ledger.Side.Sell };
        var blocks = new[]
        {
            // A new account (Carol, paid into existence), an agent approval and a deposit.
            new[] { Tx(Alice, 1, Pay(10, Carol)), Tx(Bob, 1, ApproveDaveForAlice()), Tx(Bridge, 1, new Exchange.Core.Ledger.Payloads.Deposit(Trader(0).PublicKey, Exchange.Core.Numerics.Money.FromWhole(5), Exchange.Core.Crypto.Hash32.Zero)) },
            // A trade: premium and fees move between two accounts; a refused transaction (bad nonce) changes nothing.
            new[] { Tx(Trader(1), 1, Bid()), Tx(Trader(2), 1, ask), Tx(Trader(3), 7, Pay()) },
            // Nothing at all.
            Array.Empty<Exchange.Core.Ledger.Transaction>(),
            new[] { Tx(Carol, 1, Pay(1, Trader(4))), Tx(Trader(5), 1, Pay(3, Alice)) },
        };
        var before = new List<(AccountSnapshot Snapshot, Dictionary<Exchange.Core.Crypto.PublicKey, AccountSummary> Seen)>();
        foreach (var txs in blocks)
        {
            chain.Commit(txs);
            carried = carried.After(chain.State);
            var whole = AccountSnapshot.Capture(chain.State);
            Assert.Equal(chain.State.Height, carried.Height);
            Assert.Equal(whole.AccountCount, carried.AccountCount);
            var seen = new Dictionary<Exchange.Core.Crypto.PublicKey, AccountSummary>();
            foreach (var account in chain.State.Accounts)
            {
                Assert.True(whole.TryGetAccount(account.Key, out var expected));
                Assert.True(carried.TryGetAccount(account.Key, out var actual));
                Assert.Equal(expected, actual);
                seen[account.Key] = actual;
            }
            before.Add((carried, seen));
        }
        Assert.True(carried.TryGetAccount(Carol.PublicKey, out var carol) && carol.Nonce == 1);
        Assert.True(carried.TryGetAccount(Alice.PublicKey, out var alice) && alice.Nonce == 1);
        // The trade went through: the buyer paid premium and fees, the seller received premium net of fees.
        Assert.True(carried.TryGetAccount(Trader(1).PublicKey, out var buyer) && buyer.Balance < Funding.Raw);
        Assert.True(carried.TryGetAccount(Trader(2).PublicKey, out var seller) && seller.Balance > Funding.Raw);

        // Every earlier snapshot still reads as it did: carrying one forward never changes it.
        foreach (var (snapshot, seen) in before)
            foreach (var (key, summary) in seen)
                Assert.True(snapshot.TryGetAccount(key, out var now) && now == summary);
    }

    [Fact]
    public void A_snapshot_of_another_state_or_height_should_be_copied_whole()
    {
        var chain = new MempoolFixture();
        var stale = chain.View();
        chain.Commit(Tx(Alice, 1, Pay()));
        chain.Commit(Tx(Alice, 2, Pay(2, Carol)));

        // Two blocks on: the changes of the first are not in the second's list, so the copy is whole.
        var skipped = stale.After(chain.State);
        Assert.True(skipped.TryGetAccount(Alice.PublicKey, out var alice) && alice.Nonce == 2);
        Assert.True(skipped.TryGetAccount(Carol.PublicKey, out _));

        // Another state at the right height: whole as well.
        var other = new MempoolFixture();
        other.Commit(Tx(Bob, 1, Pay(5, Alice)));
        var elsewhere = other.View();
        chain.Commit(Tx(Alice, 3, Pay()));
        var fromOther = elsewhere.After(chain.State);
        Assert.True(fromOther.TryGetAccount(Bob.PublicKey, out var bob) && bob.Nonce == 0);
        Assert.True(fromOther.TryGetAccount(Alice.PublicKey, out alice) && alice.Nonce == 3);
    }
}
