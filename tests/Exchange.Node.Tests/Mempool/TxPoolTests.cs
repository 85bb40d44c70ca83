using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;
using Exchange.Node.Mempool;
using static Exchange.Node.Tests.Mempool.MempoolFixture;

namespace Exchange.Node.Tests.Mempool;

public sealed class TxPoolTests
{
    private static readonly MempoolLimits Roomy = new(1_000, 1024 * 1024, 100);

    /// <summary>
    /// The scene every rejection case starts from: Dave is committed as Alice's agent (Alice's last
    /// nonce is 1), and the pool holds Alice's nonce 2 and Bob's nonce 1.
    /// </summary>
    public sealed class Scene
    {
        public readonly MempoolFixture Chain = new();
        public readonly TxPool Pool;
        public readonly byte[] AlicePending = Bytes(Alice, 2, Pay(1));

        public Scene(MempoolLimits limits)
        {
            Chain.Commit(Tx(Alice, 1, ApproveDaveForAlice()));
            Pool = new TxPool(limits, Chain.View());
            Assert.True(Pool.Submit(AlicePending).IsAccepted);
            Assert.True(Pool.Submit(Bytes(Bob, 1, Pay(1, Alice))).IsAccepted);
        }
    }

    public sealed record RejectionCase(string Name, MempoolError Expected, Func<Scene, byte[]> Bytes, MempoolLimits? Limits = null)
    {
        public override string ToString() => Name;
    }

    private static byte[] FlipLastBit(byte[] bytes)
    {
        var copy = bytes.ToArray();
        copy[^1] ^= 1;
        return copy;
    }

    private static readonly string LongDestination = new('x', Names.MaxDestinationLength);

    public static readonly TheoryData<RejectionCase> RejectionCases =
    [
        new("empty bytes", MempoolError.Malformed, _ => []),
        new("garbage", MempoolError.Malformed, _ => [0xFF, 0x00, 0x13, 0x37]),
        new("truncated", MempoolError.Malformed, _ => Bytes(Alice, 3, Pay())[..^1]),
        new("a trailing byte", MempoolError.Malformed, _ => [.. Bytes(Alice, 3, Pay()), 0]),
        new("over the size limit", MempoolError.Oversized, _ => new byte[Transaction.MaxEncodedLength + 1]),
        new("a negative amount", MempoolError.InvalidFields, _ => Bytes(Alice, 3, new Transfer(Bob.PublicKey, new Money(-5)))),
        new("a zero quantity", MempoolError.InvalidFields, _ => Bytes(Alice, 3, Bid(quantity: "0"))),
        new("another chain", MempoolError.WrongChain, _ => Bytes(Alice, 3, Pay(), chain: "exchange-other")),
        new("a corrupt signature", MempoolError.BadSignature, _ => FlipLastBit(Bytes(Alice, 3, Pay()))),
        new("an unknown signer", MempoolError.UnknownSigner, _ => Bytes(Carol, 1, Pay())),
        new("a committed nonce", MempoolError.ReplayedNonce, _ => Bytes(Alice, 1, Pay(7))),
        new("nonce zero", MempoolError.ReplayedNonce, _ => Bytes(Bob, 0, Pay(7, Alice))),
        new("a skipped nonce", MempoolError.NonceGap, _ => Bytes(Alice, 4, Pay())),
        new("a pending nonce", MempoolError.NonceTaken, _ => Bytes(Alice, 2, Pay(7))),
        new("an unlisted instrument", MempoolError.UnknownInstrument, _ => Bytes(Alice, 3, Bid("BTC-27NOV26-999999-C"))),
        new("cancel-all on an unlisted instrument", MempoolError.UnknownInstrument, _ => Bytes(Alice, 3, new CancelAll("ETH-27NOV26-1000-C"))),
        new("a transfer beyond the balance", MempoolError.InsufficientBalance, _ => Bytes(Alice, 3, Pay(2_000_000))),
        new("a withdrawal beyond the balance", MempoolError.InsufficientBalance, _ => Bytes(Alice, 3, new Withdraw(Money.FromWhole(1_000_001), "addr"))),
        new("a deposit not from the bridge", MempoolError.Unauthorized, _ => Bytes(Alice, 3, new Deposit(Alice.PublicKey, Money.FromWhole(1), Hash32.Compute("x"u8)))),
        new("a listing not from the authority", MempoolError.Unauthorized, _ => Bytes(Alice, 3,
            new ListInstrument("BTC", 1_798_358_400, Price.FromWhole(100_000), Core.Ledger.OptionKind.Call, Price.Parse("0.1"), Quantity.Parse("0.1"), Quantity.Parse("0.1")))),
        new("an agent moving funds", MempoolError.Unauthorized, _ => Bytes(Dave, 1, Pay())),
        new("the same transaction again", MempoolError.Duplicate, s => s.AlicePending),
        new("a full pool (count)", MempoolError.PoolFull, _ => Bytes(Alice, 3, Pay()), new MempoolLimits(2, 1024 * 1024, 100)),
        new("a full pool (bytes)", MempoolError.PoolFull, _ => Bytes(Alice, 3, Pay()),
            new MempoolLimits(100, Bytes(Alice, 2, Pay(1)).Length + Bytes(Bob, 1, Pay(1, Alice)).Length + 1, 100)),
        new("a sender at its limit", MempoolError.SenderLimit, _ => Bytes(Alice, 3, Pay()), new MempoolLimits(100, 1024 * 1024, 1)),
    ];

    [Theory]
    [MemberData(nameof(RejectionCases))]
    public void Bad_input_should_be_rejected_with_its_code_and_change_nothing(RejectionCase c)
    {
        var scene = new Scene(c.Limits ?? Roomy);
        var before = Fingerprint(scene.Pool);

        var outcome = scene.Pool.Submit(c.Bytes(scene));

        Assert.False(outcome.IsAccepted, $"{c.Name}: accepted");
        Assert.True(c.Expected == outcome.Error, $"{c.Name}: expected {c.Expected}, got {outcome}");
        Assert.False(string.IsNullOrWhiteSpace(outcome.Message));
        Assert.Equal(before, Fingerprint(scene.Pool));
        scene.Pool.ValidateInternalState();
    }

    [Fact]
    public void Every_code_a_pool_can_give_should_have_a_rejection_case()
    {
        var actorOnly = new[] { MempoolError.None, MempoolError.QueueFull, MempoolError.VerifierUnavailable };
        var covered = ((IEnumerable<object[]>)RejectionCases).Select(row => ((RejectionCase)row[0]).Expected).ToHashSet();
        var missing = Enum.GetValues<MempoolError>().Except(actorOnly).Where(e => !covered.Contains(e));
        Assert.Empty(missing);
    }

    [Fact]
    public void Pool_should_accept_consecutive_nonces_of_one_sender_and_reap_them_in_order()
    {
        var chain = new MempoolFixture();
        var pool = new TxPool(Roomy, chain.View());

        for (ulong n = 1; n <= 10; n++)
        {
            var outcome = pool.Submit(Bytes(Alice, n, Pay((long)n)));
            Assert.True(outcome.IsAccepted, $"nonce {n}: {outcome}");
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (ulong)i), pool.ReapBatch(100, long.MaxValue).Select(p => p.Nonce));
        pool.ValidateInternalState();
    }

    [Fact]
    public void A_committed_transaction_should_leave_the_pool_and_be_refused_as_a_replay_afterwards()
    {
        var chain = new MempoolFixture();
        var pool = new TxPool(Roomy, chain.View());
        var txs = Enumerable.Range(1, 3).Select(n => Tx(Alice, (ulong)n, Pay(n))).ToArray();
        foreach (var tx in txs) Assert.True(pool.Submit(tx.Encode()).IsAccepted);

        var block = chain.Commit(txs);
        var outcome = pool.OnBlockCommitted(block, chain.View());

        Assert.Equal(3, outcome.Committed);
        Assert.Empty(outcome.Dropped);
        Assert.Equal(0, pool.Count);
        Assert.Equal(0, pool.Bytes);
        Assert.Equal(MempoolError.ReplayedNonce, pool.Submit(txs[2].Encode()).Error);
        Assert.True(pool.Submit(Bytes(Alice, 4, Pay())).IsAccepted);
        pool.ValidateInternalState();
    }

    [Fact]
    public void Duplicate_submissions_should_be_kept_once()
    {
        var pool = new TxPool(Roomy, new MempoolFixture().View());
        var bytes = Bytes(Alice, 1, Pay());

        var first = pool.Submit(bytes);
        var second = pool.Submit(bytes);

        Assert.True(first.IsAccepted);
        Assert.Equal(MempoolError.Duplicate, second.Error);
        Assert.Equal(first.Hash, second.Hash);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void A_full_pool_should_refuse_new_transactions_yet_still_reap_and_take_more_after_a_block()
    {
        var chain = new MempoolFixture();
        var pool = new TxPool(new MempoolLimits(3, 1024 * 1024, 10), chain.View());
        var held = new[] { Tx(Alice, 1, Pay()), Tx(Bob, 1, Pay(1, Alice)), Tx(Alice, 2, Pay()) };
        foreach (var tx in held) Assert.True(pool.Submit(tx.Encode()).IsAccepted);

        var refused = pool.Submit(Bytes(Bob, 2, Pay(1, Alice)));
        Assert.Equal(MempoolError.PoolFull, refused.Error);
        Assert.Contains("maximum of 3", refused.Message);

        Assert.Equal(held.Select(t => t.Hash()), pool.ReapBatch(10, long.MaxValue).Select(p => p.Hash));
        pool.OnBlockCommitted(chain.Commit(held[0], held[1]), chain.View());
        Assert.Equal(1, pool.Count);
        Assert.True(pool.Submit(Bytes(Bob, 2, Pay(1, Alice))).IsAccepted);
        pool.ValidateInternalState();
    }

    [Fact]
    public void ReapBatch_should_take_arrival_order_across_senders_within_its_count()
    {
        var chain = new MempoolFixture(traders: 1);
        var pool = new TxPool(Roomy, chain.View());
        var arrivals = new[]
        {
            Tx(Alice, 1, Pay()), Tx(Bob, 1, Pay(1, Alice)), Tx(Alice, 2, Pay()), Tx(Trader(0), 1, Pay()), Tx(Bob, 2, Pay(1, Alice)),
        };
        foreach (var tx in arrivals) Assert.True(pool.Submit(tx.Encode()).IsAccepted);

        Assert.Equal(arrivals.Select(t => t.Hash()), pool.ReapBatch(10, long.MaxValue).Select(p => p.Hash));
        Assert.Equal(arrivals.Take(3).Select(t => t.Hash()), pool.ReapBatch(3, long.MaxValue).Select(p => p.Hash));
        Assert.Empty(pool.ReapBatch(0, long.MaxValue));
        Assert.Equal(5, pool.Count);
    }

    [Fact]
    public void ReapBatch_should_skip_the_rest_of_a_sender_whose_next_transaction_does_not_fit()
    {
        var chain = new MempoolFixture();
        var pool = new TxPool(Roomy, chain.View());
        var alice1 = Tx(Alice, 1, Pay());
        var alice2Large = Tx(Alice, 2, new Withdraw(Money.FromWhole(1), LongDestination));
        var alice3 = Tx(Alice, 3, Pay());
        var bob1 = Tx(Bob, 1, Pay(1, Alice));
        foreach (var tx in new[] { alice1, bob1, alice2Large, alice3 }) Assert.True(pool.Submit(tx.Encode()).IsAccepted);

        // Room for three transfers but not for Alice's longer withdrawal after the first two; her third would fit but must not jump the hole.
        var budget = alice1.Encode().Length + bob1.Encode().Length + alice3.Encode().Length;
        Assert.True(alice2Large.Encode().Length > alice3.Encode().Length);

        var batch = pool.ReapBatch(10, budget);

        Assert.Equal(new[] { alice1.Hash(), bob1.Hash() }, batch.Select(p => p.Hash));
    }

    [Fact]
    public void After_a_block_with_another_transaction_at_a_pending_nonce_the_pending_one_should_be_dropped_and_its_successor_kept()
    {
        var chain = new MempoolFixture();
        var pool = new TxPool(Roomy, chain.View());
        var pending2 = Tx(Alice, 1, Pay(2));
        var pending3 = Tx(Alice, 2, Pay(3));
        Assert.True(pool.Submit(pending2.Encode()).IsAccepted);
        Assert.True(pool.Submit(pending3.Encode()).IsAccepted);

        // Alice's nonce 1 was committed with other content, sent through another node.
        var outcome = pool.OnBlockCommitted(chain.Commit(Tx(Alice, 1, Pay(99))), chain.View());

        Assert.Equal(0, outcome.Committed);
        var dropped = Assert.Single(outcome.Dropped);
        Assert.Equal(pending2.Hash(), dropped.Hash);
        Assert.Equal(MempoolError.ReplayedNonce, dropped.Reason.Error);
        Assert.Equal(new[] { pending3.Hash() }, pool.Pending.Select(p => p.Hash));
        pool.ValidateInternalState();
    }

    [Fact]
    public void After_a_block_that_rejected_a_pending_transaction_its_sender_successors_should_be_dropped_as_gapped()
    {
        var chain = new MempoolFixture();
        var pool = new TxPool(Roomy, chain.View());
        // The pool cannot see stake, so an unstake with none passes here and fails in the state machine, which keeps the nonce.
        var doomed = Tx(Alice, 1, new Unstake(Money.FromWhole(1)));
        var next = new[] { Tx(Alice, 2, Pay()), Tx(Alice, 3, Pay()) };
        var bob = Tx(Bob, 1, Pay(1, Alice));
        foreach (var tx in new[] { doomed, next[0], bob, next[1] }) Assert.True(pool.Submit(tx.Encode()).IsAccepted);

        var outcome = pool.OnBlockCommitted(chain.Commit(doomed), chain.View());

        Assert.Equal(1, outcome.Committed);
        Assert.Equal(next.Select(t => t.Hash()), outcome.Dropped.Select(d => d.Hash));
        Assert.All(outcome.Dropped, d => Assert.Equal(MempoolError.NonceGap, d.Reason.Error));
        Assert.Equal(new[] { bob.Hash() }, pool.Pending.Select(p => p.Hash));
        Assert.True(pool.Submit(Bytes(Alice, 1, Pay())).IsAccepted);
        pool.ValidateInternalState();
    }

    [Fact]
    public void After_the_expiry_block_pending_orders_on_the_expired_series_should_be_dropped()
    {
        var chain = new MempoolFixture();
        var pool = new TxPool(Roomy, chain.View());
        var order = Tx(Bob, 1, Bid());
        var transfer = Tx(Alice, 1, Pay());
        Assert.True(pool.Submit(order.Encode()).IsAccepted);
        Assert.True(pool.Submit(transfer.Encode()).IsAccepted);

        var outcome = pool.OnBlockCommitted(chain.CommitAt(ExpiryMs), chain.View());

        var dropped = Assert.Single(outcome.Dropped);
        Assert.Equal(order.Hash(), dropped.Hash);
        Assert.Equal(MempoolError.UnknownInstrument, dropped.Reason.Error);
        Assert.Contains("expired", dropped.Reason.Message);
        Assert.Equal(MempoolError.UnknownInstrument, pool.Submit(Bytes(Bob, 1, Bid())).Error);
        Assert.Equal(new[] { transfer.Hash() }, pool.Pending.Select(p => p.Hash));
    }

    [Fact]
    public void A_view_older_than_the_one_held_should_be_ignored()
    {
        var chain = new MempoolFixture();
        var genesisView = chain.View();
        var tx = Tx(Alice, 1, Pay());
        var block = chain.Commit(tx);
        var pool = new TxPool(Roomy, chain.View());
        Assert.True(pool.Submit(Bytes(Alice, 2, Pay())).IsAccepted);

        var outcome = pool.OnBlockCommitted(block, genesisView);

        Assert.Same(CommitOutcome.Nothing, outcome);
        Assert.Equal(1ul, pool.Committed.Height);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void A_candidate_admitted_after_its_nonce_was_committed_should_be_refused_at_admission()
    {
        var chain = new MempoolFixture();
        var pool = new TxPool(Roomy, chain.View());
        Assert.True(pool.TryCheck(Bytes(Alice, 1, Pay(5)), out var candidate, out _));

        pool.OnBlockCommitted(chain.Commit(Tx(Alice, 1, Pay(6))), chain.View());
        var outcome = pool.Admit(candidate!);

        Assert.Equal(MempoolError.ReplayedNonce, outcome.Error);
        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public void A_gap_should_be_judged_at_admission_so_a_predecessor_in_the_same_batch_fills_it()
    {
        var pool = new TxPool(Roomy, new MempoolFixture().View());
        Assert.True(pool.TryCheck(Bytes(Alice, 1, Pay()), out var first, out _));
        Assert.True(pool.TryCheck(Bytes(Alice, 2, Pay()), out var second, out _));
        Assert.True(pool.TryCheck(Bytes(Alice, 4, Pay()), out var gapped, out _));

        Assert.True(pool.Admit(first!).IsAccepted);
        Assert.True(pool.Admit(second!).IsAccepted);
        var refused = pool.Admit(gapped!);

        Assert.Equal(MempoolError.NonceGap, refused.Error);
        Assert.Contains("is 3", refused.Message);
    }
}
