using System.Collections.Concurrent;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Node.Application;
using Exchange.Node.Crypto;
using Exchange.Node.Mempool;
using static Exchange.Node.Tests.Mempool.MempoolFixture;

namespace Exchange.Node.Tests.Application;

/// <summary>A proposal's signatures: what the mempool verified is skipped, what it is verifying is waited for.</summary>
public sealed class ProposalSignaturesTests
{
    private readonly VerifiedTransactions _record = new(1_024);
    private readonly ConcurrentBag<Hash32> _checkedHere = [];

    private void Counting(ReadOnlySpan<SignedMessage> batch, Span<SignatureCheck> results)
    {
        foreach (var message in batch) _checkedHere.Add(message.Message);
        ParallelSignatureVerifier.AllCores.Verify(batch, results);
    }

    private static (Transaction Tx, Hash32 Id) Entry(Transaction tx) => (tx, tx.Hash());

    [Fact]
    public async Task Transactions_the_mempool_is_verifying_should_be_waited_for_and_the_rest_verified_here()
    {
        var beingVerified = Tx(Alice, 1, Pay());
        var known = Tx(Alice, 2, Pay());
        var unseen = Tx(Bob, 1, Pay(1, Alice));
        var mempool = new VerificationClaim();
        Assert.True(_record.TryClaim(beingVerified.Hash(), mempool, 0, out _));
        _record.Add(known.Hash(), known);

        var check = ProposalSignatures.VerifyAsync([Entry(beingVerified), Entry(known), Entry(unseen)], _record, Counting);
        await Task.Delay(200);
        Assert.False(check.IsCompleted);   // waiting for the mempool's batch
        Assert.Equal([unseen.SigningHash()], _checkedHere);
        Assert.Same(unseen, _record.Find(unseen.Hash()));

        _record.Complete(mempool, [beingVerified.Hash()], [beingVerified], [SignatureCheck.Valid]);
        Assert.True(await check);
        Assert.Equal([unseen.SigningHash()], _checkedHere);
    }

    [Fact]
    public async Task A_signature_the_mempool_found_invalid_should_make_the_proposal_invalid()
    {
        var tx = Tx(Alice, 1, Pay());
        var mempool = new VerificationClaim();
        Assert.True(_record.TryClaim(tx.Hash(), mempool, 0, out _));
        var check = ProposalSignatures.VerifyAsync([Entry(tx)], _record, Counting);
        _record.Complete(mempool, [tx.Hash()], [tx], [SignatureCheck.InvalidSignature]);
        Assert.False(await check);
        Assert.Empty(_checkedHere);
    }

    [Fact]
    public async Task A_mempool_batch_that_failed_should_leave_its_transactions_to_be_verified_here()
    {
        var tx = Tx(Alice, 1, Pay());
        var mempool = new VerificationClaim();
        Assert.True(_record.TryClaim(tx.Hash(), mempool, 0, out _));
        var check = ProposalSignatures.VerifyAsync([Entry(tx)], _record, Counting);
        _record.Abandon(mempool, [tx.Hash()], new InvalidOperationException("native library gone"));
        Assert.True(await check);
        Assert.Equal([tx.SigningHash()], _checkedHere);
    }

    [Fact]
    public async Task A_forged_signature_checked_here_should_make_the_proposal_invalid_and_not_be_recorded()
    {
        var bytes = Bytes(Alice, 1, Pay());
        bytes[^1] ^= 1;
        var forged = Transaction.Decode(bytes);
        Assert.False(await ProposalSignatures.VerifyAsync([Entry(forged)], _record, Counting));
        Assert.False(_record.Contains(forged.Hash()));
        Assert.True(_record.TryClaim(forged.Hash(), new VerificationClaim(), 0, out _));
    }

    [Fact]
    public async Task A_long_proposal_should_be_claimed_a_chunk_at_a_time_so_the_mempool_can_take_the_rest()
    {
        var txs = Enumerable.Range(1, ProposalSignatures.ChunkSize + 8).Select(n => Tx(Alice, (ulong)n, Pay())).ToArray();
        using var gate = new ManualResetEventSlim(false);
        var calls = 0;
        void Gated(ReadOnlySpan<SignedMessage> batch, Span<SignatureCheck> results)
        {
            if (Interlocked.Increment(ref calls) == 1 && !gate.Wait(TimeSpan.FromSeconds(10))) throw new TimeoutException("gate never opened");
            Counting(batch, results);
        }

        var check = Task.Run(() => ProposalSignatures.VerifyAsync([.. txs.Select(Entry)], _record, Gated));
        SpinWait.SpinUntil(() => Volatile.Read(ref calls) == 1, TimeSpan.FromSeconds(10));
        // The first chunk is claimed while it is verified; the last transactions are not yet, so the mempool takes one.
        Assert.False(_record.TryClaim(txs[0].Hash(), new VerificationClaim(), 0, out var first));
        Assert.NotNull(first);
        var mempool = new VerificationClaim();
        Assert.True(_record.TryClaim(txs[^1].Hash(), mempool, 0, out _));
        gate.Set();
        await Task.Delay(200);
        Assert.False(check.IsCompleted);   // waiting for the mempool's one

        _record.Complete(mempool, [txs[^1].Hash()], [txs[^1]], [SignatureCheck.Valid]);
        Assert.True(await check);
        Assert.Equal(txs.Length - 1, _checkedHere.Count);
        Assert.DoesNotContain(txs[^1].SigningHash(), _checkedHere);
    }
}
