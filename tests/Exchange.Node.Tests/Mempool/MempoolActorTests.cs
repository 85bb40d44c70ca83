using Akka.Actor;
using Akka.TestKit.Xunit2;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Node.Crypto;
using Exchange.Node.Mempool;
using Xunit.Abstractions;
using static Exchange.Node.Tests.Mempool.MempoolFixture;

namespace Exchange.Node.Tests.Mempool;

public sealed class MempoolActorTests(ITestOutputHelper output) : TestKit(output: output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static MempoolSettings Settings(int maxTransactions = 50_000, int maxPerSender = 1_000, int batchSize = 512, int maxVerifying = 8_192) =>
        MempoolSettings.Default with
        {
            Limits = new MempoolLimits(maxTransactions, 32L * 1024 * 1024, maxPerSender),
            VerifyBatchSize = batchSize,
            MaxVerifying = maxVerifying,
        };

    /// <summary>
    /// Verifies with the real all-cores verifier, but holds every call until <see cref="Open"/>, so a
    /// test can fill the queue first; counts calls and signatures.
    /// </summary>
    private sealed class GatedVerifier
    {
        private readonly ManualResetEventSlim _gate = new(false);
        private int _calls, _items;
        public int Calls => Volatile.Read(ref _calls);
        public int Items => Volatile.Read(ref _items);
        /// <summary>The signed messages of each call, in the order the calls came.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<Hash32[]> Batches { get; } = new();
        public void Open() => _gate.Set();

        public void Verify(ReadOnlySpan<SignedMessage> batch, Span<SignatureCheck> results)
        {
            Interlocked.Increment(ref _calls);
            Interlocked.Add(ref _items, batch.Length);
            Batches.Enqueue([.. batch.ToArray().Select(m => m.Message)]);
            if (!_gate.Wait(Patience)) throw new TimeoutException("the test never opened the gate");
            ParallelSignatureVerifier.AllCores.Verify(batch, results);
        }
    }

    /// <summary>
    /// A mempool with a record of verified transactions of its own: the fixture's transactions are deterministic, so
    /// the process-wide record would hold them from other tests and spare them verification.
    /// </summary>
    private readonly VerifiedTransactions _verified = new(65_536);

    private Props MempoolProps(MempoolSettings settings, IAccountView committed, SignatureBatchVerifier? verify = null) =>
        MempoolActor.Props(settings, committed, verify, _verified);

    /// <summary>Asks through a probe of its own, so the answer never mixes with the replies the test actor expects.</summary>
    private T Query<T>(IActorRef mempool, object question)
    {
        var probe = CreateTestProbe();
        mempool.Tell(question, probe.Ref);
        return probe.ExpectMsg<T>(Patience);
    }

    private MempoolStatus Status(IActorRef mempool) => Query<MempoolStatus>(mempool, GetMempoolStatus.Instance);

    private Batch Reap(IActorRef mempool, int maxTransactions) => Query<Batch>(mempool, new ReapBatch(maxTransactions, long.MaxValue));

    [Fact]
    public void A_batch_should_be_answered_once_with_a_verdict_per_transaction_in_order()
    {
        var chain = new MempoolFixture();
        var mempool = Sys.ActorOf(MempoolProps(Settings(), chain.View()));
        var first = Tx(Alice, 1, Pay());
        var second = Tx(Alice, 2, Pay());
        var forged = Bytes(Bob, 1, Pay(1, Alice));
        forged[^1] ^= 1;

        mempool.Tell(new SubmitTxs([first.Encode(), second.Encode(), forged, [1, 2, 3], first.Encode(), new byte[Transaction.MaxEncodedLength + 1]]));

        var verdicts = ExpectMsg<TxsSubmitted>(Patience).Verdicts;
        Assert.Equal([MempoolError.None, MempoolError.None, MempoolError.BadSignature, MempoolError.Malformed, MempoolError.Duplicate, MempoolError.Oversized],
            verdicts.Select(v => v.Error));
        Assert.Equal([first.Hash(), second.Hash()], verdicts.Take(2).Select(v => v.Hash));
        Assert.All(verdicts.Skip(2), v => Assert.NotEmpty(v.Reason));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal([first.Hash(), second.Hash()], Reap(mempool, 10).Transactions.Select(t => t.Hash()));

        mempool.Tell(new SubmitTxs([]));
        Assert.Empty(ExpectMsg<TxsSubmitted>(Patience).Verdicts);
        mempool.Tell(new SubmitTxs(Enumerable.Repeat(first.Encode(), SubmitTxs.MaxTransactions + 1).ToArray()));
        Assert.All(ExpectMsg<TxsSubmitted>(Patience).Verdicts, v => Assert.Equal(MempoolError.Oversized, v.Error));
        Assert.Equal(2, Status(mempool).Count);
    }

    [Fact]
    public void A_reap_that_may_wait_should_be_answered_as_soon_as_a_transaction_is_admitted()
    {
        var chain = new MempoolFixture();
        var mempool = Sys.ActorOf(MempoolProps(Settings(), chain.View()));
        var proposer = CreateTestProbe();
        mempool.Tell(new ReapBatch(10, long.MaxValue, 7, TimeSpan.FromMinutes(1)), proposer.Ref);
        proposer.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        var tx = Tx(Alice, 1, Pay());
        mempool.Tell(new SubmitTx(tx.Encode()));
        Assert.Equal(tx.Hash(), ExpectMsg<TxAccepted>(Patience).Hash);
        var batch = proposer.ExpectMsg<Batch>(Patience);   // long before its minute is over
        Assert.Equal(7, batch.RequestId);
        Assert.Equal([tx.Hash()], batch.Transactions.Select(t => t.Hash()));
        proposer.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_held_reap_should_be_answered_empty_once_when_a_newer_one_comes_or_its_wait_is_over()
    {
        var mempool = Sys.ActorOf(MempoolProps(Settings(), new MempoolFixture().View()));
        var proposer = CreateTestProbe();
        mempool.Tell(new ReapBatch(10, long.MaxValue, 1, TimeSpan.FromMinutes(1)), proposer.Ref);
        proposer.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // The next round's request ends the first one's wait at once; it then waits out its own.
        mempool.Tell(new ReapBatch(10, long.MaxValue, 2, TimeSpan.FromMilliseconds(500)), proposer.Ref);
        var superseded = proposer.ExpectMsg<Batch>(Patience);
        Assert.Equal((1L, 0), (superseded.RequestId, superseded.Transactions.Count));
        proposer.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        var over = proposer.ExpectMsg<Batch>(Patience);
        Assert.Equal((2L, 0), (over.RequestId, over.Transactions.Count));

        // One that may not wait is answered at once, and nothing more comes for the earlier ones.
        mempool.Tell(new ReapBatch(10, long.MaxValue, 3), proposer.Ref);
        Assert.Equal(3L, proposer.ExpectMsg<Batch>(Patience).RequestId);
        proposer.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_valid_transaction_should_be_accepted_and_a_bad_one_rejected_with_its_code()
    {
        var chain = new MempoolFixture();
        var mempool = Sys.ActorOf(MempoolProps(Settings(), chain.View()));
        var good = Tx(Alice, 1, Pay());
        var forged = Bytes(Alice, 2, Pay());
        forged[^1] ^= 1;

        mempool.Tell(new SubmitTx(good.Encode()));
        Assert.Equal(good.Hash(), ExpectMsg<TxAccepted>(Patience).Hash);

        mempool.Tell(new SubmitTx(forged));
        Assert.Equal(MempoolError.BadSignature, ExpectMsg<TxRejected>(Patience).Code);

        mempool.Tell(new SubmitTx([1, 2, 3]));
        var malformed = ExpectMsg<TxRejected>(Patience);
        Assert.Equal(MempoolError.Malformed, malformed.Code);
        Assert.Contains("canonical", malformed.Reason);

        mempool.Tell(new SubmitTx(null!));
        Assert.Equal(MempoolError.Malformed, ExpectMsg<TxRejected>(Patience).Code);

        var status = Status(mempool);
        Assert.Equal((1, 1L, 3L), (status.Count, status.Accepted, status.Rejected));
    }

    [Fact]
    public void A_burst_of_5000_signed_transactions_should_be_verified_in_full_batches_and_all_accepted()
    {
        const int senders = 50, perSender = 100, total = senders * perSender;
        var chain = new MempoolFixture(traders: senders);
        var verifier = new GatedVerifier();
        var mempool = Sys.ActorOf(MempoolProps(Settings(), chain.View(), verifier.Verify));
        // Round-robin over senders, each sender's nonces in order: the shape of many clients at once.
        var txs = (from n in Enumerable.Range(1, perSender) from s in Enumerable.Range(0, senders) select Tx(Trader(s), (ulong)n, Pay(1, Alice))).ToArray();

        foreach (var tx in txs) mempool.Tell(new SubmitTx(tx.Encode()));
        // The first submission went out alone to an idle verifier, which holds it; every other one is
        // in the mailbox ahead of that batch's result, so the rest go in full batches of 512.
        verifier.Open();

        var replies = ReceiveN(total, Patience);
        Assert.All(replies, r => Assert.IsType<TxAccepted>(r));
        Assert.Equal(txs.Select(t => t.Hash()).ToHashSet(), replies.Cast<TxAccepted>().Select(a => a.Hash).ToHashSet());
        var status = Status(mempool);
        Assert.Equal(total, status.Count);
        Assert.Equal(0, status.Verifying);
        Assert.Equal(1 + (total - 1 + 511) / 512, status.VerificationBatches);
        Assert.Equal(status.VerificationBatches, verifier.Calls);
        Assert.Equal(total, verifier.Items);

        var batch = Reap(mempool, total);
        Assert.Equal(total, batch.Transactions.Count);
        foreach (var sender in batch.Transactions.GroupBy(t => t.Sender))
            Assert.Equal(Enumerable.Range(1, perSender).Select(n => (ulong)n), sender.Select(t => t.Nonce));
    }

    [Fact]
    public void A_full_pool_should_reject_with_a_clear_error_and_keep_serving()
    {
        var chain = new MempoolFixture();
        var mempool = Sys.ActorOf(MempoolProps(Settings(maxTransactions: 2), chain.View()));
        var held = new[] { Tx(Alice, 1, Pay()), Tx(Bob, 1, Pay(1, Alice)) };

        foreach (var tx in held)
        {
            mempool.Tell(new SubmitTx(tx.Encode()));
            ExpectMsg<TxAccepted>(Patience);
        }
        mempool.Tell(new SubmitTx(Bytes(Alice, 2, Pay())));
        var refused = ExpectMsg<TxRejected>(Patience);

        Assert.Equal(MempoolError.PoolFull, refused.Code);
        Assert.Contains("maximum of 2", refused.Reason);
        Assert.Equal(held.Select(t => t.Hash()), Reap(mempool, 10).Transactions.Select(t => t.Hash()));

        mempool.Tell(new BlockCommitted(chain.Commit(held), chain.View()));
        mempool.Tell(new SubmitTx(Bytes(Alice, 2, Pay())));
        ExpectMsg<TxAccepted>(Patience);
        Assert.Equal(1, Status(mempool).Count);
    }

    [Fact]
    public void A_full_verification_queue_should_reject_with_a_clear_error_and_keep_serving()
    {
        var chain = new MempoolFixture();
        var verifier = new GatedVerifier();
        var mempool = Sys.ActorOf(MempoolProps(Settings(batchSize: 2, maxVerifying: 2), chain.View(), verifier.Verify));

        mempool.Tell(new SubmitTx(Bytes(Alice, 1, Pay())));   // verifying, held at the gate
        mempool.Tell(new SubmitTx(Bytes(Alice, 2, Pay())));   // waiting
        mempool.Tell(new SubmitTx(Bytes(Bob, 1, Pay(1, Alice))));
        var refused = ExpectMsg<TxRejected>(Patience);
        Assert.Equal(MempoolError.QueueFull, refused.Code);
        Assert.Contains("retry", refused.Reason);
        Assert.Equal(2, Status(mempool).Verifying);

        verifier.Open();
        ExpectMsg<TxAccepted>(Patience);
        ExpectMsg<TxAccepted>(Patience);
        mempool.Tell(new SubmitTx(Bytes(Bob, 1, Pay(1, Alice))));
        ExpectMsg<TxAccepted>(Patience);
    }

    [Fact]
    public void A_sender_should_not_hold_more_than_its_limit_pending_and_in_verification_together()
    {
        var chain = new MempoolFixture();
        var verifier = new GatedVerifier();
        var mempool = Sys.ActorOf(MempoolProps(Settings(maxPerSender: 2), chain.View(), verifier.Verify));

        mempool.Tell(new SubmitTx(Bytes(Alice, 1, Pay())));
        mempool.Tell(new SubmitTx(Bytes(Alice, 2, Pay())));
        mempool.Tell(new SubmitTx(Bytes(Alice, 3, Pay())));
        var refused = ExpectMsg<TxRejected>(Patience);
        Assert.Equal(MempoolError.SenderLimit, refused.Code);
        Assert.Contains("being verified", refused.Reason);

        mempool.Tell(new SubmitTx(Bytes(Bob, 1, Pay(1, Alice))));
        verifier.Open();
        Assert.Equal(3, ReceiveN(3, Patience).OfType<TxAccepted>().Count());
        mempool.Tell(new SubmitTx(Bytes(Alice, 3, Pay())));
        Assert.Equal(MempoolError.SenderLimit, ExpectMsg<TxRejected>(Patience).Code);
    }

    [Fact]
    public void Find_should_hand_a_validator_its_copies_pending_or_still_waiting_and_count_what_is_not_here()
    {
        var chain = new MempoolFixture(traders: 8);
        var verifier = new GatedVerifier();
        var mempool = Sys.ActorOf(MempoolProps(Settings(batchSize: 2), chain.View(), verifier.Verify));
        var pooled = Tx(Alice, 1, Pay());
        mempool.Tell(new SubmitTx(pooled.Encode()));
        verifier.Open();
        ExpectMsg<TxAccepted>(Patience);

        var validator = CreateTestProbe("validator");
        var held = new GatedVerifier();
        var busy = Sys.ActorOf(MempoolProps(Settings(batchSize: 2), chain.View(), held.Verify));
        // One being verified (held), three waiting behind it: a proposal's transactions that came by gossip just before it.
        Transaction[] queued = [Tx(Trader(0), 1, Pay()), Tx(Trader(1), 1, Pay()), Tx(Trader(1), 2, Pay()), Tx(Trader(2), 1, Pay())];
        foreach (var tx in queued) busy.Tell(new SubmitTx(tx.Encode()));
        Assert.Equal(4, Status(busy).Verifying);
        busy.Tell(new FindTxs([.. queued.Select(t => t.Hash())], 5), validator.Ref);
        var found = validator.ExpectMsg<TxsFound>(Patience);
        Assert.Equal((5L, 0), (found.RequestId, found.Unknown));
        Assert.Equal(queued.Select(t => t.Hash()).Order(), found.Transactions.Select(t => t.Hash()).Order());

        // Pending ones count as found; ids never seen here are counted, and then nothing is handed over.
        mempool.Tell(new FindTxs([pooled.Hash()], 6), validator.Ref);
        Assert.Equal([pooled.Hash()], validator.ExpectMsg<TxsFound>(Patience).Transactions.Select(t => t.Hash()));
        mempool.Tell(new FindTxs([pooled.Hash(), Tx(Bob, 1, Pay()).Hash(), Tx(Bob, 2, Pay()).Hash()], 7), validator.Ref);
        var partly = validator.ExpectMsg<TxsFound>(Patience);
        Assert.Equal((7L, 2), (partly.RequestId, partly.Unknown));
        Assert.Empty(partly.Transactions);
        held.Open();
        Assert.All(ReceiveN(4, Patience), r => Assert.IsType<TxAccepted>(r));
    }

    [Fact]
    public void A_transaction_this_process_has_verified_already_should_not_be_verified_again()
    {
        var chain = new MempoolFixture();
        var verifier = new GatedVerifier();
        var mempool = Sys.ActorOf(MempoolProps(Settings(), chain.View(), verifier.Verify));
        var first = Tx(Alice, 1, Pay());
        var checkedElsewhere = Tx(Alice, 2, Pay());
        var forged = Tx(Alice, 3, Pay()) with { Signature = checkedElsewhere.Signature };
        // Its validator took it from this mempool for a proposal, and the application verified it.
        _verified.Add(checkedElsewhere.Hash(), checkedElsewhere);

        foreach (var tx in new[] { first, checkedElsewhere, forged }) mempool.Tell(new SubmitTx(tx.Encode()));
        verifier.Open();

        Assert.Equal(first.Hash(), ExpectMsg<TxAccepted>(Patience).Hash);
        Assert.Equal(checkedElsewhere.Hash(), ExpectMsg<TxAccepted>(Patience).Hash);
        Assert.Equal(MempoolError.BadSignature, ExpectMsg<TxRejected>(Patience).Code);
        // The first alone in the first batch, then the forged one: the recorded one cost no verification.
        Assert.Equal(2, verifier.Items);
        Assert.Equal(2, Status(mempool).Count);
    }

    [Fact]
    public void A_copy_submitted_while_the_first_is_being_verified_should_be_refused_as_a_duplicate()
    {
        var chain = new MempoolFixture();
        var verifier = new GatedVerifier();
        var mempool = Sys.ActorOf(MempoolProps(Settings(), chain.View(), verifier.Verify));
        var bytes = Bytes(Alice, 1, Pay());

        mempool.Tell(new SubmitTx(bytes));
        mempool.Tell(new SubmitTx(bytes));
        var refused = ExpectMsg<TxRejected>(Patience);
        verifier.Open();

        Assert.Equal(MempoolError.Duplicate, refused.Code);
        Assert.Contains("being verified", refused.Reason);
        ExpectMsg<TxAccepted>(Patience);
        Assert.Equal(1, verifier.Items);
    }

    [Fact]
    public void Consecutive_nonces_in_one_verification_batch_should_all_be_admitted_in_order()
    {
        var chain = new MempoolFixture();
        var verifier = new GatedVerifier();
        var mempool = Sys.ActorOf(MempoolProps(Settings(), chain.View(), verifier.Verify));
        var txs = Enumerable.Range(1, 20).Select(n => Tx(Alice, (ulong)n, Pay(n))).ToArray();

        foreach (var tx in txs) mempool.Tell(new SubmitTx(tx.Encode()));
        verifier.Open();

        Assert.Equal(txs.Select(t => t.Hash()), ReceiveN(txs.Length, Patience).Cast<TxAccepted>().Select(a => a.Hash));
        Assert.Equal(txs.Select(t => t.Hash()), Reap(mempool, 100).Transactions.Select(t => t.Hash()));
    }

    [Fact]
    public void A_transaction_the_application_is_verifying_should_take_its_result_instead_of_a_second_check()
    {
        var chain = new MempoolFixture();
        var verifier = new GatedVerifier();
        var mempool = Sys.ActorOf(MempoolProps(Settings(), chain.View(), verifier.Verify));
        var first = Tx(Alice, 1, Pay());
        var claimed = Tx(Alice, 2, Pay());
        var claimedAndFoundForged = Tx(Bob, 1, Pay(1, Alice));
        var own = Tx(Alice, 3, Pay());
        // The application has claimed two of them, as it does for a proposal's transactions it has not seen verified.
        var application = new VerificationClaim();
        Assert.True(_verified.TryClaim(claimed.Hash(), application, 0, out _));
        Assert.True(_verified.TryClaim(claimedAndFoundForged.Hash(), application, 1, out _));

        // The first batch holds the verifier, so the next three queue up and go together.
        mempool.Tell(new SubmitTx(first.Encode()));
        AwaitCondition(() => verifier.Batches.Count == 1, Patience);
        // While a batch is verified its transactions are claimed: a proposal's check would wait for them.
        Assert.False(_verified.TryClaim(first.Hash(), new VerificationClaim(), 0, out var underWay));
        Assert.NotNull(underWay);
        mempool.Tell(new SubmitTxs([claimed.Encode(), claimedAndFoundForged.Encode(), own.Encode()]));
        verifier.Open();
        ExpectMsg<TxAccepted>(Patience);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));   // the batch waits for the application's result
        _verified.Complete(application, [claimed.Hash(), claimedAndFoundForged.Hash()], [claimed, claimedAndFoundForged],
            [SignatureCheck.Valid, SignatureCheck.InvalidSignature]);

        var verdicts = ExpectMsg<TxsSubmitted>(Patience).Verdicts;
        Assert.True(verdicts[0].IsAccepted);
        Assert.Equal(MempoolError.BadSignature, verdicts[1].Error);
        Assert.True(verdicts[2].IsAccepted);
        // Only the transactions nobody else was verifying went through this mempool's verifier.
        Assert.Equal([[first.SigningHash()], [own.SigningHash()]], verifier.Batches.Select(b => b.ToArray()));
    }

    [Fact]
    public void A_failing_verifier_should_refuse_the_batch_as_unavailable_and_the_actor_should_carry_on()
    {
        var chain = new MempoolFixture();
        var calls = 0;
        SignatureBatchVerifier flaky = (batch, results) =>
        {
            if (Interlocked.Increment(ref calls) == 1) throw new InvalidOperationException("native library gone");
            ParallelSignatureVerifier.AllCores.Verify(batch, results);
        };
        var mempool = Sys.ActorOf(MempoolProps(Settings(), chain.View(), flaky));
        var bytes = Bytes(Alice, 1, Pay());

        mempool.Tell(new SubmitTx(bytes));
        var refused = ExpectMsg<TxRejected>(Patience);
        Assert.Equal(MempoolError.VerifierUnavailable, refused.Code);
        Assert.Contains("native library gone", refused.Reason);

        mempool.Tell(new SubmitTx(bytes));
        ExpectMsg<TxAccepted>(Patience);
    }

    [Fact]
    public void A_committed_block_should_remove_its_transactions_and_drop_those_it_made_stale()
    {
        var chain = new MempoolFixture();
        var mempool = Sys.ActorOf(MempoolProps(Settings(), chain.View()));
        var alice = Enumerable.Range(1, 3).Select(n => Tx(Alice, (ulong)n, Pay(n))).ToArray();
        var bob = Tx(Bob, 1, Pay(1, Alice));
        foreach (var tx in alice.Append(bob))
        {
            mempool.Tell(new SubmitTx(tx.Encode()));
            ExpectMsg<TxAccepted>(Patience);
        }

        // Alice's first two and a different nonce 1 of Bob's, sent through another node.
        mempool.Tell(new BlockCommitted(chain.Commit(alice[0], alice[1], Tx(Bob, 1, Pay(5, Alice))), chain.View()));

        var batch = Reap(mempool, 10);
        Assert.Equal(new[] { alice[2].Hash() }, batch.Transactions.Select(t => t.Hash()));
        Assert.Equal(alice[2].Encode().Length, batch.Bytes);
        // The process's record of verified transactions lets the committed ones go and keeps the one still pending.
        Assert.False(_verified.Contains(alice[0].Hash()) || _verified.Contains(alice[1].Hash()));
        Assert.True(_verified.Contains(alice[2].Hash()));
    }

    [Fact]
    public void Gossip_should_take_a_submission_to_every_peer_in_one_hop_and_not_be_relayed()
    {
        var chain = new MempoolFixture();
        var a = Sys.ActorOf(MempoolProps(Settings(), chain.View()), "a");
        var b = Sys.ActorOf(MempoolProps(Settings(), chain.View()), "b");
        var c = Sys.ActorOf(MempoolProps(Settings(), chain.View()), "c");
        var watcher = CreateTestProbe();
        a.Tell(new PeersChanged([b, c, a]));
        b.Tell(new PeersChanged([a, c]));
        c.Tell(new PeersChanged([a, b, watcher]));
        var tx = Tx(Alice, 1, Pay());

        a.Tell(new SubmitTx(tx.Encode()));
        Assert.Equal(tx.Hash(), ExpectMsg<TxAccepted>(Patience).Hash);

        AwaitAssert(() => Assert.All(new[] { a, b, c }, m => Assert.Equal(1, Status(m).Count)), Patience);
        Assert.Equal(2, Status(a).Peers);
        Assert.Equal((1L, 1L, 0L, 0L), (Status(b).Accepted, Status(c).Accepted, Status(b).Rejected, Status(c).Rejected));
        // c took it from a's gossip and sends it nowhere: the watcher is c's peer only.
        watcher.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        b.Tell(new SubmitTx(tx.Encode()));
        Assert.Equal(MempoolError.Duplicate, ExpectMsg<TxRejected>(Patience).Code);
    }

    [Fact]
    public void Gossip_should_gather_what_is_admitted_within_the_interval_into_one_message_per_peer()
    {
        var chain = new MempoolFixture();
        var a = Sys.ActorOf(MempoolProps(Settings() with { GossipInterval = TimeSpan.FromSeconds(2) }, chain.View()));
        var peer = CreateTestProbe();
        a.Tell(new PeersChanged([peer]));
        var txs = new[] { Tx(Alice, 1, Pay()), Tx(Alice, 2, Pay()), Tx(Bob, 1, Pay(1, Alice)) };

        // The first after a quiet spell goes at once.
        a.Tell(new SubmitTx(txs[0].Encode()));
        ExpectMsg<TxAccepted>(Patience);
        Assert.Equal([txs[0].Encode()], peer.ExpectMsg<GossipTxs>(Patience).Transactions);

        // The next two wait for the interval's end and go together, in admission order.
        a.Tell(new SubmitTx(txs[1].Encode()));
        ExpectMsg<TxAccepted>(Patience);
        a.Tell(new SubmitTx(txs[2].Encode()));
        ExpectMsg<TxAccepted>(Patience);
        peer.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        Assert.Equal(txs.Skip(1).Select(t => t.Encode()), peer.ExpectMsg<GossipTxs>(TimeSpan.FromSeconds(5)).Transactions);
        peer.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    /// <summary>
    /// A mempool with a long gossip interval and one peer: Alice's first transaction has gone to the peer at once,
    /// her second waits for the next round.
    /// </summary>
    private (IActorRef Mempool, Transaction First, Transaction Second) GossipWaiting(Akka.TestKit.TestProbe peer)
    {
        var chain = new MempoolFixture();
        var mempool = Sys.ActorOf(MempoolProps(Settings() with { GossipInterval = TimeSpan.FromSeconds(30) }, chain.View()));
        mempool.Tell(new PeersChanged([peer]));
        var first = Tx(Alice, 1, Pay());
        var second = Tx(Alice, 2, Pay());
        mempool.Tell(new SubmitTx(first.Encode()));
        ExpectMsg<TxAccepted>(Patience);
        peer.ExpectMsg<GossipTxs>(Patience);
        mempool.Tell(new SubmitTx(second.Encode()));
        ExpectMsg<TxAccepted>(Patience);
        peer.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        return (mempool, first, second);
    }

    [Fact]
    public void Gossip_waiting_for_its_interval_should_leave_before_the_proposer_is_given_the_batch()
    {
        var peer = CreateTestProbe();
        var (a, first, second) = GossipWaiting(peer);

        // A compact proposal names the batch's transactions by id: the peers must have them first.
        Assert.Equal([first.Hash(), second.Hash()], Reap(a, 10).Transactions.Select(t => t.Hash()));
        Assert.Equal([second.Encode()], peer.ExpectMsg<GossipTxs>(Patience).Transactions);
    }

    [Fact]
    public void Gossip_waiting_for_its_interval_should_reach_the_peers_it_was_admitted_for_when_a_peer_joins()
    {
        var old = CreateTestProbe();
        var joiner = CreateTestProbe();
        var (a, first, second) = GossipWaiting(old);

        a.Tell(new PeersChanged([old, joiner]));

        Assert.Equal([second.Encode()], old.ExpectMsg<GossipTxs>(Patience).Transactions);
        Assert.Equal([first.Encode(), second.Encode()], joiner.ExpectMsg<GossipTxs>(Patience).Transactions);
        old.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        joiner.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void Peer_new_to_a_mempool_should_be_sent_its_whole_pending_pool_once()
    {
        var chain = new MempoolFixture();
        var a = Sys.ActorOf(MempoolProps(Settings(), chain.View()));
        var old = CreateTestProbe();
        var joiner = CreateTestProbe();
        a.Tell(new PeersChanged([old]));
        var txs = new[] { Tx(Alice, 1, Pay()), Tx(Alice, 2, Pay()), Tx(Bob, 1, Pay(1, Alice)) };
        foreach (var tx in txs)
        {
            a.Tell(new SubmitTx(tx.Encode()));
            ExpectMsg<TxAccepted>(Patience);
        }
        Assert.Equal(3, old.ReceiveWhile(TimeSpan.FromMilliseconds(300), m => (GossipTxs)m).Sum(g => g.Transactions.Count));

        a.Tell(new PeersChanged([old, joiner]));

        var caughtUp = joiner.ExpectMsg<GossipTxs>(Patience);
        Assert.Equal(txs.Select(t => t.Encode()), caughtUp.Transactions);
        old.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        a.Tell(new PeersChanged([old, joiner]));
        joiner.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Bad_gossip_should_be_dropped_without_a_reply_and_change_nothing()
    {
        var chain = new MempoolFixture();
        var mempool = Sys.ActorOf(MempoolProps(Settings(), chain.View()));
        var forged = Bytes(Alice, 1, Pay());
        forged[^1] ^= 1;

        mempool.Tell(new GossipTxs([[0xFF], forged, Bytes(Carol, 1, Pay()), new byte[5_000]]));

        AwaitAssert(() => Assert.Equal(4L, Status(mempool).Rejected), Patience);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(0, Status(mempool).Count);
    }

    [Fact]
    public void A_batch_window_should_hold_an_idle_verifier_until_it_elapses()
    {
        var chain = new MempoolFixture();
        var mempool = Sys.ActorOf(MempoolProps(Settings() with { BatchWindow = TimeSpan.FromMilliseconds(50) }, chain.View()));
        var txs = Enumerable.Range(1, 3).Select(n => Tx(Alice, (ulong)n, Pay(n))).ToArray();

        foreach (var tx in txs) mempool.Tell(new SubmitTx(tx.Encode()));

        Assert.Equal(txs.Select(t => t.Hash()), ReceiveN(3, Patience).Cast<TxAccepted>().Select(a => a.Hash));
        Assert.Equal(1L, Status(mempool).VerificationBatches);
    }
}
