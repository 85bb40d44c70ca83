using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Node.Crypto;
using static Exchange.Node.Tests.Mempool.MempoolFixture;

namespace Exchange.Node.Tests.Crypto;

public sealed class VerifiedTransactionsTests
{
    [Fact]
    public void Should_remember_ids_up_to_its_capacity_and_forget_the_oldest_first()
    {
        var verified = new VerifiedTransactions(capacity: 2);
        var (a, b, c) = (Hash32.Compute("a"u8), Hash32.Compute("b"u8), Hash32.Compute("c"u8));
        verified.Add(a);
        verified.Add(b);
        verified.Add(a);
        Assert.True(verified.Contains(a) && verified.Contains(b));
        verified.Add(c);
        Assert.False(verified.Contains(a));
        Assert.True(verified.Contains(b) && verified.Contains(c));
    }

    [Fact]
    public void A_committed_transaction_should_be_forgotten_and_the_rest_kept()
    {
        var verified = new VerifiedTransactions(capacity: 4);
        var (committed, pending) = (Tx(Alice, 1, Pay()), Tx(Bob, 1, Pay(1, Alice)));
        verified.Add(committed.Hash(), committed);
        verified.Add(pending.Hash(), pending);

        verified.Forget([committed]);

        Assert.False(verified.Contains(committed.Hash()));
        Assert.Null(verified.Find(committed.Hash()));
        Assert.Same(pending, verified.Find(pending.Hash()));
        // A forgotten id's old place in the age order does not push out what came after it.
        var later = Enumerable.Range(2, 3).Select(n => Tx(Alice, (ulong)n, Pay())).ToArray();
        foreach (var tx in later) verified.Add(tx.Hash(), tx);
        Assert.All(later, tx => Assert.True(verified.Contains(tx.Hash())));
    }

    private static readonly Transaction First = Tx(Alice, 1, Pay());
    private static readonly Transaction Second = Tx(Alice, 2, Pay());

    [Fact]
    public async Task A_transaction_being_verified_should_be_waited_for_not_claimed_twice()
    {
        var verified = new VerifiedTransactions(capacity: 16);
        var mempool = new VerificationClaim();
        Assert.True(verified.TryClaim(First.Hash(), mempool, 0, out _));
        Assert.True(verified.TryClaim(Second.Hash(), mempool, 1, out _));

        var application = new VerificationClaim();
        Assert.False(verified.TryClaim(First.Hash(), application, 0, out var first));
        Assert.False(verified.TryClaim(Second.Hash(), application, 0, out var second));
        Assert.NotNull(first);
        Assert.NotNull(second);
        var waiting = first.Result();
        Assert.False(waiting.IsCompleted);

        verified.Complete(mempool, [First.Hash(), Second.Hash()], [First, Second], [SignatureCheck.Valid, SignatureCheck.InvalidSignature]);

        Assert.Equal(SignatureCheck.Valid, await waiting);
        Assert.Equal(SignatureCheck.InvalidSignature, await second.Result());
        // The valid one is on record with its transaction; the invalid one is free to be checked again.
        Assert.Same(First, verified.Find(First.Hash()));
        Assert.False(verified.TryClaim(First.Hash(), application, 0, out var none));
        Assert.Null(none);
        Assert.False(verified.Contains(Second.Hash()));
        Assert.True(verified.TryClaim(Second.Hash(), application, 0, out _));
    }

    [Fact]
    public async Task An_abandoned_claim_should_release_its_ids_and_tell_its_waiters_to_verify_themselves()
    {
        var verified = new VerifiedTransactions(capacity: 16);
        var failing = new VerificationClaim();
        Assert.True(verified.TryClaim(First.Hash(), failing, 0, out _));
        Assert.False(verified.TryClaim(First.Hash(), new VerificationClaim(), 0, out var pending));

        verified.Abandon(failing, [First.Hash()], new InvalidOperationException("native library gone"));

        Assert.Null(await pending!.Result());
        Assert.False(verified.Contains(First.Hash()));
        Assert.True(verified.TryClaim(First.Hash(), new VerificationClaim(), 0, out _));
    }
}
