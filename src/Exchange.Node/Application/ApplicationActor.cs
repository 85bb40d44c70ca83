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

/// <summary>What the application actor needs: the node's ledger, mempool and margin engine, and its block limits.</summary>
/// <param name="MaxClockDriftMs">How far ahead of this node's clock a proposed block's time may be.</param>
public sealed record ApplicationSettings(
    string ChainId,
    IActorRef Ledger,
    IActorRef Mempool,
    IActorRef MarginEngine,
    PublicKey Proposer,
    int MaxTransactionsPerBlock = 2_000,
    long MaxBlockBytes = 4 << 20,
    int MaxLiquidationCandidates = 16,
    long MaxClockDriftMs = 5_000)
{
    /// <summary>
    /// The least time between empty blocks: with nothing in the mempool the proposer waits until this long after the
    /// last block's time (taking any transaction that arrives meanwhile), so an idle chain does not write a block per
    /// round trip; with transactions pending it builds at once, so they are not held back.
    /// </summary>
    public TimeSpan MinBlockInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// The application side of consensus on one node (the ABCI of CometBFT): it builds the proposer's block from the
/// mempool's batch and the margin engine's liquidation candidates, judges peers' proposals (the ledger checks the
/// block against its tip; transaction signatures are verified here, in batches across cores, off the actor's thread),
/// and hands decided blocks to the ledger, answering the validator with <see cref="HeightApplied"/> once the block is
/// durable. It holds no exchange state of its own: the ledger does, and answers for it.
/// </summary>
public sealed class ApplicationActor : ReceiveActor, IWithStash
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
    /// <summary>The validator on this node, once it asked; told of heights block sync applied too.</summary>
    private IActorRef? _validator;

    public IStash Stash { get; set; } = null!;

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
        Receive<Built>(b => b.ReplyTo.Tell(new BlockBuilt(b.Height, b.Round, b.Block)));
        Receive<RetryBuild>(r =>
        {
            if (r.Request.Height == _height + 1)
                Context.System.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(r.AfterMs), Self, r.Request, r.ReplyTo);
        });
        Receive<ValidateBlockRequest>(Validate);
        Receive<Validated>(v =>
        {
            if (!v.Valid) _log.Warning("proposed block {0} at height {1} is not valid: {2}", v.Hash, v.Height, v.Problem);
            v.ReplyTo.Tell(new BlockValidity(v.Hash, v.Valid));
        });
        Receive<BlockDecided>(Decide);
        Receive<BlockApplied>(Applied);
        Receive<BlockRejected>(r => _log.Error("the ledger refused decided block {0}: {1}", r.Height, r.Reason));
        Receive<Status.Failure>(f => _log.Warning("application request failed: {0}", f.Cause.Message));
    }

    private HeightApplied Applied() => new(_height, _lastCommit, _next!);

    /// <summary>getValue(): the mempool's batch and the margin engine's candidates, on top of the ledger's tip (its app hash as last applied).</summary>
    private void Build(BuildBlock request)
    {
        var replyTo = Sender;
        if (request.Height != _height + 1)
        {
            _log.Warning("asked to build block {0} at height {1}", request.Height, _height);
            return;
        }
        var wait = _lastBlockTimeMs + (long)_settings.MinBlockInterval.TotalMilliseconds - _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var mayWait = wait > 0;
        var proposer = _settings.Proposer;
        var validators = _next!;
        var lastBlockHash = request.LastCommit.IsEmpty ? Hash32.Zero : request.LastCommit.BlockHash;
        var time = Math.Max(_clock.GetUtcNow().ToUnixTimeMilliseconds(), _lastBlockTimeMs + 1);
        // The tip's app hash is this actor's own (from the ledger's BlockApplied), so a build asks nothing of the ledger.
        var appHash = _appHash;
        var batchTask = _settings.Mempool.Ask<Batch>(new ReapBatch(_settings.MaxTransactionsPerBlock, _settings.MaxBlockBytes), _settings.AskTimeout);
        var candidatesTask = _settings.MarginEngine.Ask<LiquidationCandidates>(new GetLiquidationCandidates(_settings.MaxLiquidationCandidates), _settings.AskTimeout)
            .ContinueWith(t => t.IsCompletedSuccessfully ? t.Result.Candidates.Select(c => c.Account).ToArray() : []);
        Task.WhenAll(batchTask, candidatesTask).ContinueWith(_ =>
        {
            if (!batchTask.IsCompletedSuccessfully)
                return (object)new Status.Failure(new InvalidOperationException($"building block {request.Height}: the mempool did not answer"));
            var txs = batchTask.Result.Transactions;
            // Nothing to carry yet: look again shortly, until the empty-block interval is over.
            if (txs.Count == 0 && mayWait) return new RetryBuild(request, replyTo, Math.Min(wait, EmptyPollMs));
            var candidates = candidatesTask.Result;
            var header = new BlockHeader(_settings.ChainId, request.Height, request.Round, time, lastBlockHash,
                Block.ComputeTxRoot(txs), appHash, validators.Hash(), proposer, Block.ComputeLiquidationsHash(candidates),
                request.LastCommit.IsEmpty ? Hash32.Zero : request.LastCommit.Hash(), Block.ComputeEvidenceHash(request.Evidence));
            return new Built(replyTo, request.Height, request.Round, new Block(header, txs, request.LastCommit, candidates, request.Evidence));
        }).PipeTo(Self);
    }

    /// <summary>valid(v): the ledger's checks and every transaction's signature, both off this actor's thread.</summary>
    private void Validate(ValidateBlockRequest request)
    {
        var replyTo = Sender;
        var block = request.Block;
        var hash = block.Hash();
        if (block.Header.TimeUnixMs > _clock.GetUtcNow().ToUnixTimeMilliseconds() + _settings.MaxClockDriftMs)
        {
            _log.Warning("block {0} at height {1} is dated {2} ms ahead of this node's clock", hash, block.Header.Height,
                block.Header.TimeUnixMs - _clock.GetUtcNow().ToUnixTimeMilliseconds());
            replyTo.Tell(new BlockValidity(hash, false));
            return;
        }
        var ledger = _settings.Ledger.Ask<ProposalChecked>(new CheckProposal(block), _settings.AskTimeout);
        var signatures = Task.Run(() => SignaturesValid(block));
        Task.WhenAll(ledger, signatures).ContinueWith(_ =>
        {
            var problem = !ledger.IsCompletedSuccessfully ? "the ledger did not answer"
                : ledger.Result.Problem ?? (!signatures.IsCompletedSuccessfully || !signatures.Result ? "a transaction's signature does not verify" : null);
            return new Validated(replyTo, hash, problem is null, problem, block.Header.Height);
        }).PipeTo(Self);
    }

    /// <summary>Every transaction's signature, skipping those this process verified already (its mempool admitted them).</summary>
    private static bool SignaturesValid(Block block)
    {
        var unverified = new List<(Transaction Tx, Hash32 Id)>();
        foreach (var tx in block.Transactions)
        {
            var id = tx.Hash();
            if (!VerifiedTransactions.Shared.Contains(id)) unverified.Add((tx, id));
        }
        if (unverified.Count == 0) return true;
        var batch = new SignedMessage[unverified.Count];
        for (var i = 0; i < batch.Length; i++) batch[i] = new SignedMessage(unverified[i].Tx.Sender, unverified[i].Tx.SigningHash(), unverified[i].Tx.Signature);
        var results = new SignatureCheck[batch.Length];
        ParallelSignatureVerifier.AllCores.Verify(batch, results);
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i] != SignatureCheck.Valid) return false;
            VerifiedTransactions.Shared.Add(unverified[i].Id, unverified[i].Tx);
        }
        return true;
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

    /// <summary>How often a proposer with an empty mempool looks again while it may still wait.</summary>
    private const long EmptyPollMs = 10;

    private sealed record RetryBuild(BuildBlock Request, IActorRef ReplyTo, long AfterMs);

    private sealed record Built(IActorRef ReplyTo, ulong Height, uint Round, Block Block);

    private sealed record Validated(IActorRef ReplyTo, Hash32 Hash, bool Valid, string? Problem, ulong Height);
}
