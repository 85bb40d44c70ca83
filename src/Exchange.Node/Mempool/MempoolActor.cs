using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Node.Crypto;

namespace Exchange.Node.Mempool;

/// <summary>
/// The node's mempool: a thin shell around one <see cref="TxPool"/>, which decides everything. It adds
/// what needs threads and messages: signatures checked in batches on every core away from the actor's
/// thread, gossip to peer mempools, batches for the proposer, and the pool's clean-up after each block.
/// </summary>
/// <remarks>
/// <para><b>Flow.</b> A <see cref="SubmitTx"/> (from a client), each transaction of a
/// <see cref="SubmitTxs"/> (a client's batch, answered once for all) or of a
/// <see cref="GossipTxs"/> (from a peer) is first checked by <see cref="TxPool.TryCheck"/> on this
/// actor's thread: decode, stateless rules, chain, duplicates, committed nonce, bounds. What passes
/// waits in a bounded queue for signature verification. While no batch is being verified, the
/// waiting submissions (up to <see cref="MempoolSettings.VerifyBatchSize"/>) go to the verifier on a
/// thread-pool thread, which shares them out over every core; the result is piped back as a message.
/// Only one batch runs at a time (it already uses every core), so results come back in submission
/// order and are admitted in that order, which is what lets a sender's consecutive nonces travel in
/// one batch. Meanwhile new submissions queue up, so under load batches grow by themselves (group
/// commit); with a non-zero <see cref="MempoolSettings.BatchWindow"/> an idle verifier also waits that
/// long for a batch to fill. What the process has verified already (<see cref="VerifiedTransactions"/>) is not
/// verified again: a validator holding a compact proposal whose transactions still wait here takes them
/// (<see cref="FindTxs"/>), and its application verifies them before the block is judged.</para>
/// <para><b>Gossip.</b> The peers are every other node of the cluster, which Akka.Cluster keeps a
/// full mesh, so one hop reaches everyone: the newly admitted transactions that a client submitted
/// here go to every peer, in admission order, in messages under
/// <see cref="MempoolSettings.MaxGossipBytes"/>, at most one round of messages per
/// <see cref="MempoolSettings.GossipInterval"/> (what is admitted sooner waits for the next round, the
/// first after a quiet spell goes at once), and what a peer gossiped is not relayed (relaying
/// sent each transaction three times as often on four nodes, each copy decoded and refused as a
/// duplicate, on the cores signature checks need). A peer that joins, or comes back after a
/// partition, missed the gossip before it: it is sent the whole pending pool once. Gossip gets no
/// replies.</para>
/// <para><b>Reaping.</b> A <see cref="ReapBatch"/> is answered with what a block may carry, oldest first. With
/// nothing to carry and a <see cref="ReapBatch.WaitForFirst"/>, it is held and answered as soon as there is
/// something (after an admission or a block), or empty when the wait is over; a newer one answers a held one empty.
/// So a quiet chain's next transaction goes into a block when it is admitted, not at the proposer's next look.</para>
/// <para><b>Bounds.</b> The pool is bounded by <see cref="MempoolLimits"/>, the verification queue by
/// <see cref="MempoolSettings.MaxVerifying"/>; beyond either, a submission is answered with a
/// <see cref="TxRejected"/> naming the limit and the actor carries on.</para>
/// <para><b>Throughput</b> (not measured by a test; see docs/architecture.md). A BIP340 verification
/// costs tens of microseconds, everything else about a submission (decode, SHA-256 of ~200 bytes, the
/// signing hash, dictionary look-ups) a few microseconds, so the mempool runs at roughly the raw
/// libsecp256k1 rate times the cores: about 22,000 transactions per second per core (docs/benchmarks.md). The
/// actor's own thread does the cheap part, so it saturates only well above that. Re-checking after a
/// block costs about a tenth of a microsecond per pending transaction.</para>
/// </remarks>
public sealed class MempoolActor : ReceiveActor, IWithTimers
{
    /// <summary>A submission on its way through verification. Clients' have a reply address; gossip has an origin peer instead.</summary>
    private readonly record struct Submission(Candidate Candidate, Answer Answer, IActorRef? Origin);

    /// <summary>Where a submission's verdict goes: a client's own reply, a slot of a batch's reply, or nowhere (gossip).</summary>
    private readonly record struct Answer(IActorRef? ReplyTo, BatchAnswer? Batch, int Index)
    {
        public static readonly Answer None = default;

        public void Give(SubmitOutcome outcome)
        {
            if (Batch is not null) Batch.Set(Index, new TxVerdict(outcome.Hash, outcome.Error, outcome.Message));
            else if (outcome.IsAccepted) ReplyTo?.Tell(new TxAccepted(outcome.Hash));
            else ReplyTo?.Tell(new TxRejected(outcome.Hash, outcome.Error, outcome.Message));
        }
    }

    /// <summary>The verdicts of one <see cref="SubmitTxs"/>, sent back together once the last is known.</summary>
    private sealed class BatchAnswer(IActorRef replyTo, int count)
    {
        private readonly TxVerdict[] _verdicts = new TxVerdict[count];
        private int _left = count;

        public void Set(int index, TxVerdict verdict)
        {
            _verdicts[index] = verdict;
            if (--_left == 0) replyTo.Tell(new TxsSubmitted(_verdicts));
        }
    }

    private sealed record BatchVerified(Submission[] Batch, SignatureCheck[] Results);
    private sealed record BatchFailed(Submission[] Batch, Exception Cause);
    private sealed class WindowElapsed
    {
        public static readonly WindowElapsed Instance = new();
    }

    private sealed class GossipDue
    {
        public static readonly GossipDue Instance = new();
    }

    private const string WindowTimer = "batch-window";
    private const string GossipTimer = "gossip";
    private const string ReapTimer = "reap-wait";

    /// <summary>A held <see cref="ReapBatch"/>'s wait is over.</summary>
    private sealed class ReapWaitOver
    {
        public static readonly ReapWaitOver Instance = new();
    }

    private readonly MempoolSettings _settings;
    private readonly SignatureBatchVerifier _verify;
    private readonly TxPool _pool;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<Submission> _waiting = new();
    /// <summary>
    /// What waits for or is in verification, by hash: a second copy is refused before it costs a verification, and a
    /// validator rebuilding a proposal takes the transaction from here (<see cref="FindTxs"/>).
    /// </summary>
    private readonly Dictionary<Hash32, Transaction> _inFlight = [];
    /// <summary>Submissions per sender waiting for or in verification, so one sender cannot fill the queue: with its pending ones, at most the per-sender limit.</summary>
    private readonly Dictionary<PublicKey, int> _inFlightBySender = [];
    private Submission[]? _verifying;
    private SignedMessage[] _toVerify = [];
    private int[] _toVerifyIndex = [];
    private bool _windowElapsed;
    private IActorRef[] _peers = [];
    /// <summary>Clients' admitted transactions not yet gossiped, in admission order, and their bytes.</summary>
    private List<byte[]> _unsent = [];
    private long _unsentBytes;
    /// <summary>When the last round of gossip left (<see cref="Stopwatch"/> ticks).</summary>
    private long _lastGossip = long.MinValue / 2;
    private long _accepted, _rejected, _batches;
    /// <summary>The proposer's request that found nothing to hand over and may wait for the next admission.</summary>
    private (ReapBatch Request, IActorRef ReplyTo)? _heldReap;
    /// <summary>What this process has verified: admitted transactions are recorded here, and what is here is not verified again.</summary>
    private readonly VerifiedTransactions _verified;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="settings">Bounds and batching.</param>
    /// <param name="committed">The committed state to start from (see <see cref="IAccountView"/> on thread safety).</param>
    /// <param name="verify">Checks a batch of signatures; by default <see cref="ParallelSignatureVerifier.AllCores"/>.</param>
    /// <param name="verified">What this process has verified; <see cref="VerifiedTransactions.Shared"/> by default, which validators and applications read.</param>
    public static Props Props(MempoolSettings settings, IAccountView committed, SignatureBatchVerifier? verify = null, VerifiedTransactions? verified = null)
    {
        var verifier = verify ?? ParallelSignatureVerifier.AllCores.Verify;
        var record = verified ?? VerifiedTransactions.Shared;
        return Akka.Actor.Props.Create(() => new MempoolActor(settings, committed, verifier, record));
    }

    public MempoolActor(MempoolSettings settings, IAccountView committed, SignatureBatchVerifier verify, VerifiedTransactions verified)
    {
        if (settings.Check() is { } error) throw new ArgumentException(error, nameof(settings));
        _settings = settings;
        _verify = verify;
        _verified = verified;
        _pool = new TxPool(settings.Limits, committed);

        Receive<SubmitTx>(m => Submit(m.Encoded, new Answer(Sender, null, 0), origin: null));
        Receive<SubmitTxs>(m =>
        {
            var txs = m.Transactions ?? [];
            if (txs.Count == 0)
            {
                Sender.Tell(new TxsSubmitted([]));
                return;
            }
            if (txs.Count > SubmitTxs.MaxTransactions)
            {
                var verdict = new TxVerdict(Hash32.Zero, MempoolError.Oversized, $"a batch holds at most {SubmitTxs.MaxTransactions} transactions, not {txs.Count}; none was taken");
                _rejected += txs.Count;
                Sender.Tell(new TxsSubmitted(Enumerable.Repeat(verdict, txs.Count).ToArray()));
                return;
            }
            var batch = new BatchAnswer(Sender, txs.Count);
            for (var i = 0; i < txs.Count; i++) Submit(txs[i], new Answer(null, batch, i), origin: null);
        });
        Receive<GossipTxs>(m =>
        {
            foreach (var tx in m.Transactions ?? []) Submit(tx, Answer.None, origin: Sender);
        });
        Receive<FindTxs>(OnFindTxs);
        Receive<BatchVerified>(OnVerified);
        Receive<BatchFailed>(OnVerificationFailed);
        Receive<GossipDue>(_ => SendGossip());
        Receive<WindowElapsed>(_ =>
        {
            _windowElapsed = true;
            TryDispatch();
        });
        Receive<ReapBatch>(OnReap);
        Receive<ReapWaitOver>(_ =>
        {
            AnswerHeldReap(mayHold: false);
        });
        Receive<BlockCommitted>(OnBlockCommitted);
        Receive<CommittedView>(v => _pool.Rebase(v.Committed));
        Receive<PeersChanged>(OnPeersChanged);
        Receive<GetMempoolStatus>(_ => Sender.Tell(new MempoolStatus(
            _pool.Count, _pool.Bytes, _waiting.Count + (_verifying?.Length ?? 0), _peers.Length, _accepted, _rejected, _batches)));
    }

    private void Submit(byte[]? encoded, Answer answer, IActorRef? origin)
    {
        if (!_pool.TryCheck(encoded ?? [], out var candidate, out var rejection))
        {
            Refuse(rejection, answer, origin);
            return;
        }
        var hash = candidate!.Hash;
        if (_inFlight.ContainsKey(hash))
        {
            Refuse(SubmitOutcome.Rejected(hash, new(MempoolError.Duplicate, $"transaction {hash} is already being verified")), answer, origin);
            return;
        }
        var verifying = _waiting.Count + (_verifying?.Length ?? 0);
        if (verifying >= _settings.MaxVerifying)
        {
            Refuse(SubmitOutcome.Rejected(hash, new(MempoolError.QueueFull,
                $"{verifying} transactions are waiting for signature verification, the most this node queues; retry shortly")), answer, origin);
            return;
        }
        var sender = candidate.Tx.Sender;
        var ofSender = _pool.PendingOf(sender) + _inFlightBySender.GetValueOrDefault(sender);
        if (ofSender >= _settings.Limits.MaxPerSender)
        {
            Refuse(SubmitOutcome.Rejected(hash, new(MempoolError.SenderLimit,
                $"the sender has {ofSender} transactions pending or being verified, the most this node holds per sender; retry after the next block")), answer, origin);
            return;
        }
        _inFlightBySender[sender] = _inFlightBySender.GetValueOrDefault(sender) + 1;
        _inFlight.Add(hash, candidate.Tx);
        _waiting.Enqueue(new Submission(candidate, answer, origin));
        TryDispatch();
    }

    /// <summary>Starts the next verification batch if none is running and one is due.</summary>
    private void TryDispatch()
    {
        if (_verifying is not null || _waiting.Count == 0) return;
        if (_settings.BatchWindow > TimeSpan.Zero && !_windowElapsed && _waiting.Count < _settings.VerifyBatchSize)
        {
            if (!Timers.IsTimerActive(WindowTimer)) Timers.StartSingleTimer(WindowTimer, WindowElapsed.Instance, _settings.BatchWindow);
            return;
        }
        _windowElapsed = false;
        Timers.Cancel(WindowTimer);

        var batch = new Submission[Math.Min(_waiting.Count, _settings.VerifyBatchSize)];
        for (var i = 0; i < batch.Length; i++) batch[i] = _waiting.Dequeue();
        _verifying = batch;
        _batches++;
        // A transaction this process has verified already (its validator took it from here unverified for a proposal,
        // and the application checked it) is not verified a second time: the id covers the signature. The rest is
        // claimed while it is verified, so the application judging a proposal that holds some of it waits for this
        // batch instead of verifying them too; and what the application is verifying right now, this batch waits for
        // (VerifiedTransactions).
        // One batch is verified at a time, so the messages and their indexes go into arrays this actor keeps: they
        // belong to the task until its result comes back as a message, and only then may the next batch start.
        if (_toVerify.Length < batch.Length)
        {
            _toVerify = new SignedMessage[batch.Length];
            _toVerifyIndex = new int[batch.Length];
        }
        var messages = _toVerify;
        var indexes = _toVerifyIndex;
        var claim = new VerificationClaim();
        var ids = new Hash32[batch.Length];
        var txs = new Transaction[batch.Length];
        List<(int Index, PendingVerification Pending)>? elsewhere = null;
        var count = 0;
        for (var i = 0; i < batch.Length; i++)
        {
            var candidate = batch[i].Candidate;
            if (!_verified.TryClaim(candidate.Hash, claim, count, out var underWay))
            {
                if (underWay is not null) (elsewhere ??= []).Add((i, underWay));
                continue;
            }
            messages[count] = candidate.Signed;
            indexes[count] = i;
            ids[count] = candidate.Hash;
            txs[count++] = candidate.Tx;
        }
        var verify = _verify;
        var verified = _verified;
        Task.Run(async () =>
        {
            var results = new SignatureCheck[batch.Length];
            Array.Fill(results, SignatureCheck.Valid);
            var checks = verified.VerifyClaimed(claim, messages.AsSpan(0, count), ids.AsSpan(0, count), txs.AsSpan(0, count), verify);
            for (var k = 0; k < count; k++) results[indexes[k]] = checks[k];
            foreach (var (index, pending) in elsewhere ?? [])
                results[index] = await pending.Result().ConfigureAwait(false) ?? verify.VerifyOne(batch[index].Candidate.Signed);
            return results;
        }).PipeTo(Self, success: results => new BatchVerified(batch, results), failure: e => new BatchFailed(batch, e));
    }

    private void OnReap(ReapBatch m)
    {
        // One proposer's build at a time: a newer request means the held one's round is over, and it had nothing.
        if (ReleaseHeldReap() is { } superseded) superseded.ReplyTo.Tell(new Batch([], 0, superseded.Request.RequestId));
        AnswerReap(m, Sender, mayHold: m.WaitForFirst > TimeSpan.Zero);
    }

    /// <summary>Tries the held request again, if there is one: after an admission, a block or the end of its wait.</summary>
    private void AnswerHeldReap(bool mayHold)
    {
        if (_heldReap is { } held) AnswerReap(held.Request, held.ReplyTo, mayHold);
    }

    private (ReapBatch Request, IActorRef ReplyTo)? ReleaseHeldReap()
    {
        var held = _heldReap;
        _heldReap = null;
        Timers.Cancel(ReapTimer);
        return held;
    }

    /// <summary>
    /// Hands over what a block may carry; with nothing to hand over and <paramref name="mayHold"/>, keeps the request
    /// instead (see Reaping above), its wait's timer started once.
    /// </summary>
    private void AnswerReap(ReapBatch m, IActorRef replyTo, bool mayHold)
    {
        // The block goes to the peers as transaction ids (a compact proposal), so they must have been sent what
        // waits for the next round of gossip before the proposal leaves, or they ask for the whole block.
        SendGossip();
        var reaped = _pool.ReapBatch(Math.Max(0, m.MaxTransactions), Math.Max(0, m.MaxBytes));
        if (reaped.Count == 0 && mayHold)
        {
            if (_heldReap is null) Timers.StartSingleTimer(ReapTimer, ReapWaitOver.Instance, m.WaitForFirst);
            _heldReap = (m, replyTo);
            return;
        }
        if (_heldReap is { } held && ReferenceEquals(held.Request, m)) ReleaseHeldReap();
        replyTo.Tell(new Batch(reaped.Select(p => p.Tx).ToArray(), reaped.Sum(p => (long)p.Encoded.Length), m.RequestId));
    }

    private void OnVerified(BatchVerified m)
    {
        if (!ReferenceEquals(m.Batch, _verifying)) return;
        _verifying = null;
        var admitted = new List<Submission>(m.Batch.Length);
        for (var i = 0; i < m.Batch.Length; i++)
        {
            var s = m.Batch[i];
            Landed(s);
            var outcome = m.Results[i] == SignatureCheck.Valid
                ? _pool.Admit(s.Candidate)
                : SubmitOutcome.Rejected(s.Candidate.Hash, TxPool.SignatureRejection(s.Candidate.Tx, m.Results[i]));
            if (!outcome.IsAccepted)
            {
                Refuse(outcome, s.Answer, s.Origin);
                continue;
            }
            _accepted++;
            _verified.Add(outcome.Hash, s.Candidate.Tx);
            s.Answer.Give(outcome);
            admitted.Add(s);
        }
        Gossip(admitted);
        if (admitted.Count > 0) AnswerHeldReap(mayHold: true);
        TryDispatch();
    }

    private void OnVerificationFailed(BatchFailed m)
    {
        if (!ReferenceEquals(m.Batch, _verifying)) return;
        _verifying = null;
        _log.Error(m.Cause, "signature verification failed for a batch of {0}; all refused", m.Batch.Length);
        foreach (var s in m.Batch)
        {
            Landed(s);
            Refuse(SubmitOutcome.Rejected(s.Candidate.Hash, new(MempoolError.VerifierUnavailable,
                $"signatures could not be checked on this node ({m.Cause.GetType().Name}: {m.Cause.Message}); retry or use another node")), s.Answer, s.Origin);
        }
        TryDispatch();
    }

    /// <summary>A submission's verification is over: it no longer counts as in flight.</summary>
    private void Landed(Submission s)
    {
        _inFlight.Remove(s.Candidate.Hash);
        var sender = s.Candidate.Tx.Sender;
        var left = _inFlightBySender[sender] - 1;
        if (left == 0) _inFlightBySender.Remove(sender);
        else _inFlightBySender[sender] = left;
    }

    /// <summary>
    /// Hands a validator this node's copies of the named transactions, pending or still waiting for verification;
    /// what is not here at all is only counted.
    /// </summary>
    private void OnFindTxs(FindTxs m)
    {
        var wanted = m.Ids ?? [];
        var found = new List<Transaction>(wanted.Count);
        var unknown = 0;
        foreach (var id in wanted)
        {
            if (_pool.Find(id) is { } pending)
            {
                found.Add(pending);
                continue;
            }
            if (_inFlight.TryGetValue(id, out var waiting))
            {
                found.Add(waiting);
                continue;
            }
            unknown++;
        }
        Sender.Tell(new TxsFound(m.RequestId, unknown == 0 ? found : [], unknown));
    }

    private void OnBlockCommitted(BlockCommitted m)
    {
        var outcome = _pool.OnBlockCommitted(m.Block, m.Committed);
        _verified.Forget(m.Block.Transactions);
        if (outcome.Committed > 0 || outcome.Dropped.Count > 0)
            _log.Debug("block {0}: {1} pending transactions committed, {2} dropped, {3} still pending",
                m.Block.Header.Height, outcome.Committed, outcome.Dropped.Count, _pool.Count);
        // The block may have filled a sender's nonce gap, making what waited behind it ready for a block.
        AnswerHeldReap(mayHold: true);
    }

    private void Refuse(SubmitOutcome outcome, Answer answer, IActorRef? origin)
    {
        _rejected++;
        answer.Give(outcome);
        if (origin is not null && outcome.Error != MempoolError.Duplicate)
            _log.Debug("gossip from {0} refused: {1}", origin.Path, outcome);
    }

    /// <summary>
    /// Queues the newly admitted transactions that clients submitted here for every peer (peers' gossip went to every
    /// peer already) and sends them once the gossip interval since the last round is over or a message's worth waits.
    /// </summary>
    private void Gossip(List<Submission> admitted)
    {
        foreach (var s in admitted)
        {
            if (s.Origin is not null) continue;
            _unsent.Add(s.Candidate.Encoded);
            _unsentBytes += s.Candidate.Encoded.Length;
        }
        if (_unsent.Count == 0) return;
        var due = _lastGossip + (long)(_settings.GossipInterval.TotalSeconds * Stopwatch.Frequency) - Stopwatch.GetTimestamp();
        if (due <= 0 || _unsentBytes >= _settings.MaxGossipBytes) SendGossip();
        else if (!Timers.IsTimerActive(GossipTimer)) Timers.StartSingleTimer(GossipTimer, GossipDue.Instance, TimeSpan.FromSeconds(due / (double)Stopwatch.Frequency));
    }

    private void SendGossip()
    {
        Timers.Cancel(GossipTimer);
        if (_unsent.Count == 0) return;
        var messages = Chunks(_unsent);
        foreach (var peer in _peers)
            foreach (var m in messages) peer.Tell(m, Self);
        _unsent = [];
        _unsentBytes = 0;
        _lastGossip = Stopwatch.GetTimestamp();
    }

    /// <summary>A peer new to this node gets every pending transaction, in arrival order, so what it missed while away still reaches it.</summary>
    private void OnPeersChanged(PeersChanged m)
    {
        // What waits goes to the peers it was admitted for; a new peer gets it with the pending pool below.
        SendGossip();
        var peers = (m.Peers ?? []).Where(p => p is not null && !p.Equals(Self)).Distinct().ToArray();
        var known = _peers.ToHashSet();
        _peers = peers;
        if (_pool.Count == 0) return;
        var newcomers = peers.Where(p => !known.Contains(p)).ToArray();
        if (newcomers.Length == 0) return;
        var messages = Chunks(_pool.Pending.Select(p => p.Encoded).ToList());
        foreach (var peer in newcomers)
            foreach (var message in messages) peer.Tell(message, Self);
    }

    /// <summary>
    /// Encoded transactions, in order, in messages under the byte budget and the count limit. The same messages go to
    /// every peer, so each is encoded once (<see cref="GossipTxs"/>).
    /// </summary>
    private List<GossipTxs> Chunks(IReadOnlyList<byte[]> encoded)
    {
        var messages = new List<GossipTxs>();
        var chunk = new List<byte[]>();
        var bytes = 0;
        foreach (var tx in encoded)
        {
            var length = tx.Length + 2;
            if (chunk.Count > 0 && (bytes + length > _settings.MaxGossipBytes || chunk.Count == GossipTxs.MaxTransactions))
            {
                messages.Add(new GossipTxs(chunk));
                chunk = [];
                bytes = 0;
            }
            chunk.Add(tx);
            bytes += length;
        }
        if (chunk.Count > 0) messages.Add(new GossipTxs(chunk));
        return messages;
    }
}
