using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;

namespace Exchange.Node.Mempool;

/// <summary>
/// The mempool proper: the pending transactions of one node, with admission, de-duplication,
/// nonce order, bounds, batches for the proposer, and clean-up after each block. No Akka, no
/// threads, no clock: the <see cref="MempoolActor"/> owns one instance and is its only caller.
/// (Named apart from its namespace, which a type called Mempool would shadow.)
/// </summary>
/// <remarks>
/// <para><b>Invariants</b> (<see cref="ValidateInternalState"/> checks them all):</para>
/// <list type="bullet">
/// <item>Each sender's pending nonces are consecutive and start at its committed nonce + 1, so every
/// pending transaction can apply in order after the committed state.</item>
/// <item>A sender's transactions arrive in nonce order (the next one is admitted only after its
/// predecessor), so arrival order restricted to one sender is nonce order, and any batch reaped in
/// arrival order is a run of consecutive nonces per sender.</item>
/// <item>At most <see cref="MempoolLimits.MaxTransactions"/> transactions and
/// <see cref="MempoolLimits.MaxBytes"/> bytes, and <see cref="MempoolLimits.MaxPerSender"/> per sender.</item>
/// <item>No two pending transactions have the same hash, or the same sender and nonce.</item>
/// </list>
/// <para><b>Nonce gaps are refused, not held.</b> A transaction whose nonce skips ahead of the next one
/// the pool can take for its sender is refused with <see cref="MempoolError.NonceGap"/> naming the
/// expected nonce. Holding it would need a second, separately bounded queue and a rule for when a
/// hole is given up on; a client that sends in order (one connection, as the gateway does) never
/// meets a gap, and one that does learns the nonce to use at once. For the same reason, when a
/// block leaves a hole (a pending transaction dropped, or rejected by the state machine) the
/// sender's later pending transactions are dropped too.</para>
/// <para><b>Two stages.</b> <see cref="Check"/> runs every test that needs no signature, cheaply, on
/// the owner's thread; the caller verifies the signature (in batches, on all cores) and then calls
/// <see cref="Admit"/>, which re-runs the tests that depend on the pool and the committed state,
/// since both may have moved meanwhile. A nonce gap is judged only at admission, because the
/// missing predecessor may be in the same verification batch. <see cref="Submit"/> does all three
/// on the calling thread.</para>
/// <para><b>The balance pre-check</b> refuses a withdrawal, transfer or stake larger than the sender's
/// committed balance, which can never succeed as the state stands (free collateral is at most the
/// balance). It does not add up the sender's pending amounts, and it cannot foresee money arriving
/// in the same block: such a transaction is refused and can be resent once the money is committed.
/// Margin is the state machine's to judge.</para>
/// <para><b>Cost.</b> Admission and reaping are a few dictionary operations per transaction; after a
/// block every pending transaction is re-checked once, a hundred nanoseconds or so each, so a full
/// pool of 50,000 costs a few milliseconds per block. Signature verification (tens of microseconds
/// each) dominates everything else by two orders of magnitude.</para>
/// </remarks>
public sealed class TxPool
{
    private readonly Dictionary<Hash32, PendingTx> _byHash = [];
    private readonly Dictionary<PublicKey, List<PendingTx>> _bySender = [];
    private readonly LinkedList<PendingTx> _arrival = new();
    private long _nextSequence;

    public TxPool(MempoolLimits limits, IAccountView committed)
    {
        if (limits.Check() is { } error) throw new ArgumentException(error, nameof(limits));
        Limits = limits;
        Committed = committed;
    }

    public MempoolLimits Limits { get; }
    /// <summary>The committed state the pool checks against: the one after the last block it was told of.</summary>
    public IAccountView Committed { get; private set; }
    public int Count => _byHash.Count;
    public long Bytes { get; private set; }
    public int Senders => _bySender.Count;

    public bool Contains(Hash32 hash) => _byHash.ContainsKey(hash);

    /// <summary>The pending transaction with this id, or null.</summary>
    public Transaction? Find(Hash32 hash) => _byHash.TryGetValue(hash, out var p) ? p.Tx : null;

    /// <summary>How many transactions of <paramref name="sender"/> are pending.</summary>
    public int PendingOf(PublicKey sender) => _bySender.TryGetValue(sender, out var queue) ? queue.Count : 0;

    /// <summary>Pending transactions in arrival order.</summary>
    public IEnumerable<PendingTx> Pending => _arrival;

    /// <summary>
    /// The first stage: decodes <paramref name="encoded"/> and runs every check that needs no
    /// signature. On success the caller verifies <see cref="Candidate.Signed"/> and calls
    /// <see cref="Admit"/>. Changes nothing.
    /// </summary>
    public bool TryCheck(ReadOnlySpan<byte> encoded, out Candidate? candidate, out SubmitOutcome rejection)
    {
        // Sized before it is copied: an oversized message is refused without taking its length in memory again.
        if (RefuseLength(encoded.Length) is { } refused)
        {
            candidate = null;
            rejection = refused;
            return false;
        }
        return TryCheck(encoded.ToArray(), out candidate, out rejection);
    }

    /// <summary>
    /// <see cref="TryCheck(ReadOnlySpan{byte}, out Candidate?, out SubmitOutcome)"/> for an array the pool may keep as
    /// it is: the candidate, its transaction and later gossip and blocks share it. The caller hands it over for good.
    /// </summary>
    public bool TryCheck(byte[] encoded, out Candidate? candidate, out SubmitOutcome rejection)
    {
        candidate = null;
        if (RefuseLength(encoded.Length) is { } refused)
        {
            rejection = refused;
            return false;
        }
        var hash = Hash32.Compute(encoded);
        var refusal = CheckBytes(encoded, hash, out var tx);
        if (refusal is { } r)
        {
            rejection = SubmitOutcome.Rejected(hash, r);
            return false;
        }
        candidate = new Candidate(tx!, encoded, hash);
        rejection = default;
        return true;
    }

    private static SubmitOutcome? RefuseLength(int length) => length switch
    {
        0 => SubmitOutcome.Rejected(Hash32.Zero, new(MempoolError.Malformed, "empty message: expected one encoded transaction")),
        > Transaction.MaxEncodedLength => SubmitOutcome.Rejected(Hash32.Zero, new(MempoolError.Oversized,
            $"{length} bytes exceed the transaction limit of {Transaction.MaxEncodedLength}")),
        _ => null,
    };

    private MempoolRejection? CheckBytes(byte[] encoded, Hash32 hash, out Transaction? tx)
    {
        if (!Transaction.TryDecodeOwned(encoded, out tx, out var error))
            return new(MempoolError.Malformed, $"not a canonical transaction: {error!.Error}: {error.Detail}");
        var valid = tx!.Validate();
        if (!valid.IsValid) return new(MempoolError.InvalidFields, valid.ToString());
        if (tx.ChainId != Committed.ChainId)
            return new(MempoolError.WrongChain, $"signed for chain '{tx.ChainId}', this node runs '{Committed.ChainId}'");
        if (_byHash.ContainsKey(hash)) return new(MempoolError.Duplicate, $"transaction {hash} is already pending");
        if (CheckCommitted(tx, out _) is { } stateRefusal) return stateRefusal;
        _bySender.TryGetValue(tx.Sender, out var queue);
        if (queue is not null && tx.Nonce <= queue[^1].Nonce) return NonceTaken(tx, queue);
        return CheckCapacity(encoded.Length, queue);
    }

    /// <summary>
    /// The second stage, after the candidate's signature verified: re-checks against the pool and the
    /// committed state as they are now, then adds it. Returns the outcome; a refusal changes nothing.
    /// </summary>
    public SubmitOutcome Admit(Candidate candidate)
    {
        var tx = candidate.Tx;
        if (_byHash.ContainsKey(candidate.Hash))
            return SubmitOutcome.Rejected(candidate.Hash, new(MempoolError.Duplicate, $"transaction {candidate.Hash} is already pending"));
        if (tx.ChainId != Committed.ChainId)
            return SubmitOutcome.Rejected(candidate.Hash, new(MempoolError.WrongChain, $"signed for chain '{tx.ChainId}', this node runs '{Committed.ChainId}'"));
        _bySender.TryGetValue(tx.Sender, out var queue);
        var refusal = CheckCommitted(tx, out var account) ?? CheckChain(tx, account, queue) ?? CheckCapacity(candidate.Encoded.Length, queue);
        if (refusal is { } r) return SubmitOutcome.Rejected(candidate.Hash, r);

        var pending = new PendingTx(candidate, _nextSequence++);
        pending.Node = _arrival.AddLast(pending);
        _byHash.Add(pending.Hash, pending);
        if (queue is null) _bySender.Add(tx.Sender, queue = []);
        queue.Add(pending);
        Bytes += pending.Encoded.Length;
        return SubmitOutcome.Accepted(pending.Hash);
    }

    /// <summary>Check, verify the signature on this thread, admit: for tools, tests and single submissions.</summary>
    public SubmitOutcome Submit(ReadOnlySpan<byte> encoded)
    {
        if (!TryCheck(encoded, out var candidate, out var rejection)) return rejection;
        var check = candidate!.Signed.Verify();
        return check == SignatureCheck.Valid
            ? Admit(candidate)
            : SubmitOutcome.Rejected(candidate.Hash, SignatureRejection(candidate.Tx, check));
    }

    /// <summary>The refusal for a signature that did not verify.</summary>
    public static MempoolRejection SignatureRejection(Transaction tx, SignatureCheck check) => check switch
    {
        SignatureCheck.InvalidPublicKey => new(MempoolError.BadSignature, $"sender {tx.Sender} is not a valid BIP340 public key"),
        SignatureCheck.InvalidSignature => new(MempoolError.BadSignature, $"the signature does not verify for sender {tx.Sender} on chain '{tx.ChainId}'"),
        _ => throw new ArgumentOutOfRangeException(nameof(check), check, "not a failed signature check"),
    };

    /// <summary>
    /// Transactions for the next proposal, oldest first: at most <paramref name="maxTransactions"/>
    /// and <paramref name="maxBytes"/> bytes of encodings. When a sender's next transaction does not
    /// fit, none of its later ones is taken either, so each sender's part is a run of consecutive
    /// nonces from its committed nonce + 1. Leaves the pool as it is: transactions leave it when a
    /// block commits them (a proposal may fail and the next round needs them again).
    /// </summary>
    public IReadOnlyList<PendingTx> ReapBatch(int maxTransactions, long maxBytes)
    {
        var batch = new List<PendingTx>(Math.Clamp(maxTransactions, 0, Count));
        long bytes = 0;
        HashSet<PublicKey>? skipped = null;
        for (var node = _arrival.First; node is not null && batch.Count < maxTransactions; node = node.Next)
        {
            var p = node.Value;
            if (skipped is not null && skipped.Contains(p.Sender)) continue;
            if (bytes + p.Encoded.Length > maxBytes)
            {
                (skipped ??= []).Add(p.Sender);
                continue;
            }
            batch.Add(p);
            bytes += p.Encoded.Length;
        }
        return batch;
    }

    /// <summary>
    /// Moves to the state after <paramref name="block"/>: removes the block's transactions and re-checks
    /// every other one against <paramref name="committed"/>, dropping those that can no longer apply
    /// (a nonce the block used, a hole before them, a balance or instrument that changed). A view older
    /// than the one held is ignored.
    /// </summary>
    public CommitOutcome OnBlockCommitted(Block block, IAccountView committed) => MoveTo(committed, block.Transactions);

    /// <summary>Moves to a committed state reached without a block seen here (the ledger's recovery): re-checks everything against it.</summary>
    public CommitOutcome Rebase(IAccountView committed) => MoveTo(committed, []);

    private CommitOutcome MoveTo(IAccountView committed, IReadOnlyList<Transaction> committedTransactions)
    {
        if (committed.Height < Committed.Height) return CommitOutcome.Nothing;
        Committed = committed;
        var included = 0;
        foreach (var tx in committedTransactions)
            if (_byHash.TryGetValue(tx.Hash(), out var p))
            {
                Remove(p);
                included++;
            }

        // Rebuild every sender's run from the committed nonce, walking in arrival (so per sender, nonce) order.
        var dropped = new List<DroppedTx>();
        _bySender.Clear();
        for (var node = _arrival.First; node is not null;)
        {
            var p = node.Value;
            node = node.Next;
            _bySender.TryGetValue(p.Sender, out var queue);
            if ((CheckCommitted(p.Tx, out var account) ?? CheckChain(p.Tx, account, queue)) is { } reason)
            {
                Remove(p);
                dropped.Add(new DroppedTx(p.Hash, p.Sender, p.Nonce, reason));
                continue;
            }
            if (queue is null) _bySender.Add(p.Sender, queue = []);
            queue.Add(p);
        }
        return new CommitOutcome(included, dropped);
    }

    /// <summary>Removes from the hash index, the arrival list and the byte count; the caller fixes the sender's run.</summary>
    private void Remove(PendingTx p)
    {
        _byHash.Remove(p.Hash);
        _arrival.Remove(p.Node!);
        p.Node = null;
        Bytes -= p.Encoded.Length;
    }

    /// <summary>The rules that need only the committed state: the signer exists, the nonce is fresh, the sender may send this, and it can succeed.</summary>
    private MempoolRejection? CheckCommitted(Transaction tx, out AccountSummary account)
    {
        if (!Committed.TryGetAccount(tx.Sender, out account))
            return new(MempoolError.UnknownSigner, $"sender {tx.Sender} has no account: fund it (deposit or transfer) or approve it as an agent first");
        if (tx.Nonce <= account.Nonce)
            return new(MempoolError.ReplayedNonce, $"nonce {tx.Nonce} is used already: the last committed nonce of {tx.Sender} is {account.Nonce}, the next is {account.Nonce + 1}");
        return tx.Payload switch
        {
            Deposit => tx.Sender == Committed.Bridge ? null : new(MempoolError.Unauthorized, "only the bridge key sends deposits"),
            ListInstrument => tx.Sender == Committed.Authority ? null : new(MempoolError.Unauthorized, "only the listing authority lists instruments"),
            Withdraw p => CheckOutflow(account, "withdrawal", p.Amount.Raw),
            Transfer p => CheckOutflow(account, "transfer", p.Amount.Raw),
            Stake p => CheckOutflow(account, "stake", p.Amount.Raw),
            PlaceOrder p => Committed.InstrumentStatusOf(p.Instrument) switch
            {
                InstrumentStatus.Trading => null,
                InstrumentStatus.Closed => new(MempoolError.UnknownInstrument, $"{p.Instrument} has expired or settled and takes no orders"),
                InstrumentStatus.NotListed => new(MempoolError.UnknownInstrument, $"{p.Instrument} is not listed"),
                var s => throw new InvalidOperationException($"instrument status {s}"),
            },
            CancelAll p => p.Instrument.Length == 0 || Committed.InstrumentStatusOf(p.Instrument) != InstrumentStatus.NotListed
                ? null
                : new(MempoolError.UnknownInstrument, $"{p.Instrument} is not listed"),
            CancelOrder or AmendOrder or ApproveAgent or Unstake or SetMarginMode => null,
            _ => throw new InvalidOperationException($"no mempool rule for payload {tx.Payload.Kind}"),
        };
    }

    private static MempoolRejection? CheckOutflow(AccountSummary account, string what, long amount)
    {
        if (account.IsAgent) return new(MempoolError.Unauthorized, $"an agent key may trade but never send a {what}");
        return amount > account.Balance
            ? new(MempoolError.InsufficientBalance, $"{what} of {new Core.Numerics.Money(amount)} exceeds the committed balance {new Core.Numerics.Money(account.Balance)}")
            : null;
    }

    /// <summary>The nonce must be exactly the next after the sender's last pending one, or after its committed one when none is pending.</summary>
    private static MempoolRejection? CheckChain(Transaction tx, AccountSummary account, List<PendingTx>? queue)
    {
        var last = queue is null ? account.Nonce : queue[^1].Nonce;
        if (tx.Nonce <= last) return NonceTaken(tx, queue!);
        return tx.Nonce - last == 1
            ? null
            : new(MempoolError.NonceGap, $"nonce {tx.Nonce} skips ahead: the next nonce this pool accepts from {tx.Sender} is {last + 1}");
    }

    /// <summary>Only reached with a pending run: nonces at or below the committed one are refused as replays first.</summary>
    private static MempoolRejection NonceTaken(Transaction tx, List<PendingTx> queue)
    {
        var holder = queue[(int)(tx.Nonce - queue[0].Nonce)];
        return new(MempoolError.NonceTaken, $"nonce {tx.Nonce} of {tx.Sender} is taken by pending transaction {holder.Hash}; the next free nonce is {queue[^1].Nonce + 1}");
    }

    private MempoolRejection? CheckCapacity(int length, List<PendingTx>? queue)
    {
        if (Count >= Limits.MaxTransactions)
            return new(MempoolError.PoolFull, $"the pool holds its maximum of {Limits.MaxTransactions} transactions; retry after the next block");
        if (Bytes + length > Limits.MaxBytes)
            return new(MempoolError.PoolFull, $"the pool holds {Bytes} of its maximum {Limits.MaxBytes} bytes; retry after the next block");
        if (queue is not null && queue.Count >= Limits.MaxPerSender)
            return new(MempoolError.SenderLimit, $"the sender has its maximum of {Limits.MaxPerSender} pending transactions; retry after the next block");
        return null;
    }

    /// <summary>Checks every invariant listed on the class; throws <see cref="InvalidOperationException"/> naming the first one broken.</summary>
    public void ValidateInternalState()
    {
        void Require(bool ok, string what)
        {
            if (!ok) throw new InvalidOperationException($"mempool invariant broken: {what}");
        }

        Require(_arrival.Count == _byHash.Count, $"{_arrival.Count} in arrival order but {_byHash.Count} by hash");
        Require(_bySender.Values.Sum(q => q.Count) == _byHash.Count, "sender runs do not hold every pending transaction once");
        Require(Count <= Limits.MaxTransactions && Bytes <= Limits.MaxBytes, "over the pool's bounds");
        long bytes = 0, sequence = -1;
        var seen = new Dictionary<PublicKey, int>();
        foreach (var p in _arrival)
        {
            bytes += p.Encoded.Length;
            Require(p.Sequence > sequence, "arrival order is not increasing");
            sequence = p.Sequence;
            Require(_byHash.TryGetValue(p.Hash, out var h) && ReferenceEquals(h, p), $"{p.Hash} is missing from the hash index");
            var index = seen.GetValueOrDefault(p.Sender);
            Require(_bySender.TryGetValue(p.Sender, out var queue) && index < queue.Count && ReferenceEquals(queue[index], p),
                $"{p.Hash} is out of its sender's nonce order");
            seen[p.Sender] = index + 1;
        }
        Require(bytes == Bytes, $"byte count {Bytes}, actual {bytes}");
        foreach (var (sender, queue) in _bySender)
        {
            Require(queue.Count is > 0 && queue.Count <= Limits.MaxPerSender, $"{sender} has {queue.Count} pending");
            Require(Committed.TryGetAccount(sender, out var account) && queue[0].Nonce == account.Nonce + 1,
                $"{sender}'s first pending nonce {queue[0].Nonce} does not follow its committed nonce");
            for (var i = 1; i < queue.Count; i++) Require(queue[i].Nonce == queue[i - 1].Nonce + 1, $"{sender}'s nonces are not consecutive");
        }
    }
}
