using Akka.Actor;
using Akka.Event;
using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Node.Crypto;
using Exchange.Node.Ledger;
using Exchange.Node.Market;
using Exchange.Node.Mempool;
using Exchange.Node.Validator;

namespace Exchange.Node.Application;

/// <summary>
/// The application side of consensus on one node (the ABCI of CometBFT): it builds the proposer's block from the
/// mempool's batch and the margin engine's liquidation candidates, judges peers' proposals (the ledger checks the
/// block against its tip; transaction signatures are verified here, in batches across cores, off the actor's thread),
/// and hands decided blocks to the ledger, answering the validator with <see cref="HeightApplied"/> once the block is
/// durable. It holds no exchange state of its own: the ledger does, and answers for it.
/// </summary>
public sealed class ApplicationActor : ReceiveActor, IWithStash, IWithTimers
{
    public static Props Props(ApplicationSettings settings, TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new ApplicationActor(settings, clock ?? TimeProvider.System));

    private readonly ApplicationSettings _settings;
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ulong _height;
    /// <summary>The app hash after the tip: the next block's header carries it.</summary>
    private Hash32 _appHash;
    private long _lastBlockTimeMs;
    private Commit _lastCommit = Commit.Empty;
    private ValidatorSet? _next;
    private readonly Dictionary<ulong, IActorRef> _awaitingApply = [];
    /// <summary>The build waiting for its answers, if any.</summary>
    private PendingBuild? _build;
    /// <summary>The last build's request id, echoed in the mempool's and the margin engine's answers.</summary>
    private long _lastBuildId;
    /// <summary>Proposals being judged, by block hash.</summary>
    private readonly Dictionary<Hash32, PendingCheck> _checks = [];
    /// <summary>The validator on this node, once it asked; told of heights block sync applied too.</summary>
    private IActorRef? _validator;

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    public ApplicationActor(ApplicationSettings settings, TimeProvider clock)
    {
        _settings = settings;
        _clock = clock;
        Starting();
    }

    protected override void PreStart()
    {
        // Blocks the ledger applies from block sync reach the application too.
        Context.System.EventStream.Subscribe(Self, typeof(BlockApplied));
        _settings.Ledger.Tell(GetStatus.Instance);
        _settings.Ledger.Tell(GetSchedule.Instance);
    }

    /// <summary>Learns the ledger's tip (height, time, commit, next validators) before answering anyone.</summary>
    private void Starting()
    {
        LedgerStatus? status = null;
        ScheduleAt? schedule = null;
        Commit? commit = null;
        void TryStart()
        {
            if (status is null || schedule is null || commit is null) return;
            _height = status.Height;
            _appHash = status.AppHash;
            _lastBlockTimeMs = status.TimeUnixMs;
            _lastCommit = commit;
            _next = schedule.Schedule.Validators;
            _log.Info("application ready at height {0}, app hash {1}", _height, status.AppHash);
            Become(Ready);
            Stash.UnstashAll();
        }
        Receive<LedgerStatus>(s =>
        {
            status = s;
            if (s.Height == 0) commit = Commit.Empty;
            else _settings.Ledger.Tell(new GetBlock(s.Height));
            TryStart();
        });
        Receive<ScheduleAt>(s => { schedule = s; TryStart(); });
        Receive<BlockFound>(f => { commit = f.Block.Commit; TryStart(); });
        Receive<BlockNotFound>(n => throw new InvalidOperationException($"the ledger at height {n.LedgerHeight} could not find its own tip block {n.Height}"));
        ReceiveAny(_ => Stash.Stash());
    }

    private void Ready()
    {
        Receive<GetLastApplied>(_ =>
        {
            _validator = Sender;
            Sender.Tell(Applied());
        });
        Receive<BuildBlock>(Build);
        Receive<Batch>(OnBatch);
        Receive<LiquidationCandidates>(OnCandidates);
        Receive<BuildTimedOut>(OnBuildTimedOut);
        Receive<ValidateBlockRequest>(Validate);
        Receive<ProposalChecked>(OnProposalChecked);
        Receive<SignaturesChecked>(OnSignaturesChecked);
        Receive<CheckTimedOut>(OnCheckTimedOut);
        Receive<BlockDecided>(Decide);
        Receive<BlockApplied>(Applied);
        Receive<BlockRejected>(r => _log.Error("the ledger refused decided block {0}: {1}", r.Height, r.Reason));
    }

    private HeightApplied Applied() => new(_height, _lastCommit, _next!);

    /// <summary>
    /// getValue(): the mempool's batch and the margin engine's candidates, on top of the ledger's tip (its app hash as
    /// last applied). Both are asked by plain Tells answered to this actor, not by Asks: on the proposer's path an Ask
    /// costs a temporary actor, a timer on the runtime's timer thread and two thread-pool hand-offs for its
    /// continuations, and the cores are shared by every node of a devnet.
    /// </summary>
    private void Build(BuildBlock request)
    {
        if (request.Height != _height + 1)
        {
            _log.Warning("asked to build block {0} at height {1}", request.Height, _height);
            return;
        }
        // With nothing pending, the mempool holds the request until a transaction is admitted or the empty-block
        // interval is over, so the block is built the moment there is something to carry.
        var wait = TimeSpan.FromMilliseconds(Math.Max(0,
            _lastBlockTimeMs + (long)_settings.MinBlockInterval.TotalMilliseconds - _clock.GetUtcNow().ToUnixTimeMilliseconds()));
        // The tip's app hash is this actor's own (from the ledger's BlockApplied), so a build asks nothing of the ledger.
        // A newer request replaces one still waiting: consensus wants only the latest round's block.
        _build = new PendingBuild(++_lastBuildId, request, Sender, _appHash, _next!);
        _settings.Mempool.Tell(new ReapBatch(_settings.MaxTransactionsPerBlock, _settings.MaxBlockBytes, _build.Id, wait));
        _settings.MarginEngine.Tell(new GetLiquidationCandidates(_settings.MaxLiquidationCandidates, _build.Id));
        Timers.StartSingleTimer(BuildTimer, new BuildTimedOut(_build.Id), wait + _settings.AskTimeout);
    }

    /// <summary>The mempool's answer; one to a build given up or replaced is late and dropped.</summary>
    private void OnBatch(Batch batch)
    {
        if (_build is null || batch.RequestId != _build.Id) return;
        _build.Batch = batch;
        TryFinishBuild(_build);
    }

    private void OnCandidates(LiquidationCandidates candidates)
    {
        if (_build is null || candidates.RequestId != _build.Id) return;
        _build.Candidates = candidates.Keys;
        TryFinishBuild(_build);
    }

    /// <summary>
    /// The mempool did not answer in time: this round gets no block from here (its propose timeout moves consensus on).
    /// A margin engine that did not answer costs only its candidates.
    /// </summary>
    private void OnBuildTimedOut(BuildTimedOut timedOut)
    {
        if (_build is null || timedOut.BuildId != _build.Id) return;
        var build = _build;
        if (build.Batch is null)
        {
            _build = null;
            _log.Warning("building block {0}: the mempool did not answer within {1}", build.Request.Height, _settings.AskTimeout);
            return;
        }
        build.Candidates ??= [];
        TryFinishBuild(build);
    }

    private void TryFinishBuild(PendingBuild build)
    {
        if (build.Batch is null || build.Candidates is null) return;
        _build = null;
        Timers.Cancel(BuildTimer);
        var request = build.Request;
        var txs = build.Batch.Transactions;
        // Dated when built, not when asked: the mempool may have held the request for the empty-block interval.
        var time = Math.Max(_clock.GetUtcNow().ToUnixTimeMilliseconds(), _lastBlockTimeMs + 1);
        var lastBlockHash = request.LastCommit.IsEmpty ? Hash32.Zero : request.LastCommit.BlockHash;
        var header = new BlockHeader(_settings.ChainId, request.Height, request.Round, time, lastBlockHash,
            Block.ComputeTxRoot(txs), build.AppHash, build.Validators.Hash(), _settings.Proposer, Block.ComputeLiquidationsHash(build.Candidates),
            request.LastCommit.IsEmpty ? Hash32.Zero : request.LastCommit.Hash(), Block.ComputeEvidenceHash(request.Evidence));
        build.ReplyTo.Tell(new BlockBuilt(request.Height, request.Round,
            new Block(header, txs, request.LastCommit, build.Candidates, request.Evidence)));
    }

    /// <summary>
    /// valid(v): the ledger's checks and every transaction's signature. The ledger answers this actor with the block's
    /// hash; the signatures were almost always verified by this process's mempool already (a compact proposal is rebuilt
    /// from them), so only the others go to the thread pool, where those the mempool is verifying at that moment are
    /// waited for rather than verified again (<see cref="ProposalSignatures"/>).
    /// </summary>
    private void Validate(ValidateBlockRequest request)
    {
        var block = request.Block;
        var hash = block.Hash();
        if (block.Header.TimeUnixMs > _clock.GetUtcNow().ToUnixTimeMilliseconds() + _settings.MaxClockDriftMs)
        {
            _log.Warning("block {0} at height {1} is dated {2} ms ahead of this node's clock", hash, block.Header.Height,
                block.Header.TimeUnixMs - _clock.GetUtcNow().ToUnixTimeMilliseconds());
            Sender.Tell(new BlockValidity(hash, false));
            return;
        }
        if (_checks.TryGetValue(hash, out var running))
        {
            running.ReplyTo.Add(Sender);
            return;
        }
        var check = new PendingCheck(hash, block.Header.Height, [Sender]);
        _checks[hash] = check;
        _settings.Ledger.Tell(new CheckProposal(block));
        Timers.StartSingleTimer(check, new CheckTimedOut(hash), _settings.AskTimeout);
        if (Unverified(block) is not { } unverified) check.SignaturesValid = true;
        else
            Task.Run(() => ProposalSignatures.VerifyAsync(unverified, VerifiedTransactions.Shared, ParallelSignatureVerifier.AllCores.Verify))
                .PipeTo(Self, success: valid => new SignaturesChecked(hash, valid), failure: _ => new SignaturesChecked(hash, false));
    }

    private void OnProposalChecked(ProposalChecked checkedByLedger)
    {
        if (!_checks.TryGetValue(checkedByLedger.BlockHash, out var check) || check.LedgerAnswered) return;
        check.LedgerAnswered = true;
        check.Problem = checkedByLedger.Problem;
        TryFinishCheck(check);
    }

    private void OnSignaturesChecked(SignaturesChecked signatures)
    {
        if (!_checks.TryGetValue(signatures.BlockHash, out var check)) return;
        check.SignaturesValid = signatures.Valid;
        TryFinishCheck(check);
    }

    private void OnCheckTimedOut(CheckTimedOut timedOut)
    {
        if (!_checks.TryGetValue(timedOut.BlockHash, out var check)) return;
        check.Problem ??= check.LedgerAnswered ? "the signatures were not checked in time" : "the ledger did not answer";
        Finish(check, valid: false);
    }

    private void TryFinishCheck(PendingCheck check)
    {
        if (check.Problem is not null) Finish(check, valid: false);
        else if (check.LedgerAnswered && check.SignaturesValid is { } valid)
        {
            if (!valid) check.Problem = "a transaction's signature does not verify";
            Finish(check, valid);
        }
    }

    private void Finish(PendingCheck check, bool valid)
    {
        _checks.Remove(check.BlockHash);
        Timers.Cancel(check);
        if (!valid) _log.Warning("proposed block {0} at height {1} is not valid: {2}", check.BlockHash, check.Height, check.Problem);
        foreach (var replyTo in check.ReplyTo) replyTo.Tell(new BlockValidity(check.BlockHash, valid));
    }

    /// <summary>The transactions whose signatures this process has not verified yet (its mempool admitted the others), or null when there are none.</summary>
    private static List<(Transaction Tx, Hash32 Id)>? Unverified(Block block)
    {
        List<(Transaction Tx, Hash32 Id)>? unverified = null;
        foreach (var tx in block.Transactions)
        {
            var id = tx.Hash();
            if (!VerifiedTransactions.Shared.Contains(id)) (unverified ??= []).Add((tx, id));
        }
        return unverified;
    }

    private void Decide(BlockDecided decided)
    {
        var height = decided.Block.Header.Height;
        if (height <= _height)
        {
            Sender.Tell(Applied());
            return;
        }
        _awaitingApply[height] = Sender;
        _settings.Ledger.Tell(new CommitBlock(decided.Block, decided.Commit));
    }

    private void Applied(BlockApplied applied)
    {
        if (applied.Height != _height + 1) return;
        _height = applied.Height;
        _appHash = applied.AppHash;
        _lastBlockTimeMs = applied.Block.Header.TimeUnixMs;
        _lastCommit = applied.Commit ?? _lastCommit;
        _next = applied.NextValidators ?? _next;
        if (_awaitingApply.Remove(applied.Height, out var validator)) validator.Tell(Applied());
        else _validator?.Tell(Applied());
    }

    private const string BuildTimer = "build";

    /// <summary>A build waiting for the mempool's batch and the margin engine's candidates.</summary>
    private sealed class PendingBuild(long id, BuildBlock request, IActorRef replyTo, Hash32 appHash, ValidatorSet validators)
    {
        public long Id { get; } = id;
        public BuildBlock Request { get; } = request;
        public IActorRef ReplyTo { get; } = replyTo;
        public Hash32 AppHash { get; } = appHash;
        public ValidatorSet Validators { get; } = validators;
        public Batch? Batch { get; set; }
        public IReadOnlyList<PublicKey>? Candidates { get; set; }
    }

    /// <summary>A proposal being judged: the ledger's verdict and the signatures' come back separately.</summary>
    private sealed class PendingCheck(Hash32 blockHash, ulong height, List<IActorRef> replyTo)
    {
        public Hash32 BlockHash { get; } = blockHash;
        public ulong Height { get; } = height;
        public List<IActorRef> ReplyTo { get; } = replyTo;
        public bool LedgerAnswered { get; set; }
        public string? Problem { get; set; }
        public bool? SignaturesValid { get; set; }
    }

    private sealed record BuildTimedOut(long BuildId);

    private sealed record CheckTimedOut(Hash32 BlockHash);

    private sealed record SignaturesChecked(Hash32 BlockHash, bool Valid);
}
