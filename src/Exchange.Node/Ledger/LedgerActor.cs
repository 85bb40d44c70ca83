using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.Streams;
using Akka.Streams.Dsl;
using Exchange.Core.State;

namespace Exchange.Node.Ledger;

/// <summary>
/// The node's ledger: an event-sourced shell around <see cref="ExchangeState"/>. Each committed block is one journal
/// event (<see cref="BlockCommitted"/>) whose sequence number is its height; every
/// <see cref="LedgerSettings.SnapshotInterval"/> blocks the whole state is saved as a snapshot. Recovery restores the
/// newest snapshot, applies the later blocks again and halts on the first app hash that differs from the recorded one.
/// The actor decides nothing about the exchange: <see cref="ExchangeState.Apply"/> does.
/// </summary>
/// <remarks>
/// A block is applied, then persisted with the app hash it produced, and only when the journal has it is it answered
/// and published, so every acknowledged block is durable and carries its hash for recovery to check. Between the
/// two the actor takes no other message (<c>Persist</c> stashes them). If the write fails or is rejected the actor
/// stops and its in-memory state goes with it: no reply, no publication, no journal row, and a new incarnation
/// recovers exactly the blocks the journal holds. Nothing half-applied outlives the failure.
/// </remarks>
public sealed class LedgerActor : ReceivePersistentActor
{
    public static Props Props(LedgerSettings settings) => Akka.Actor.Props.Create(() => new LedgerActor(settings));

    private readonly LedgerSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly RecentBlocks _recent;
    private readonly Stopwatch _recovery = Stopwatch.StartNew();
    private ExchangeState _state;
    private StakeSchedule _schedule;
    /// <summary>The last applied block with its commit; null at genesis.</summary>
    private BlockCommitted? _tip;
    private ulong _restoredHeight;
    private IMaterializer? _materializer;

    public override string PersistenceId => _settings.PersistenceId;

    public LedgerActor(LedgerSettings settings)
    {
        _settings = settings;
        _recent = new RecentBlocks(settings.RecentBlocks);
        _state = ExchangeState.FromGenesis(settings.Genesis);
        _schedule = StakeSchedule.Genesis(_state);
        if (settings.JournalPluginId.Length > 0) JournalPluginId = settings.JournalPluginId;
        if (settings.SnapshotPluginId.Length > 0) SnapshotPluginId = settings.SnapshotPluginId;

        Recover<SnapshotOffer>(RecoverSnapshot);
        Recover<BlockCommitted>(RecoverBlock);
        Recover<RecoveryCompleted>(_ => RecoveryDone());

        Command<CommitBlock>(Commit);
        Command<SyncBlock>(Sync);
        Command<CheckProposal>(c => Sender.Tell(new ProposalChecked(c.Block.Hash(), _state.Height, LedgerChecks.CheckProposal(_state, c.Block, _tip, _schedule))));
        Command<GetStatus>(_ => Sender.Tell(new LedgerStatus(_state.Height, _state.AppHash, _state.TimeUnixMs)));
        Command<GetSchedule>(_ => Sender.Tell(new ScheduleAt(_state.Height, _schedule.Schedule)));
        Command<GetBlocks>(q => ServeBlocks(q.FromHeight, q.MaxBlocks,
            (blocks, height) => new BlockRange(q.FromHeight, LedgerWireCodec.WithinBudget(blocks, _settings.BlockRangeBudget), height)));
        Command<GetAccount>(q => Sender.Tell(_state.TryGetAccount(q.Key, out var account)
            ? new AccountInfo(q.Key, true, account.Nonce, account.Balance, _state.Height)
            : new AccountInfo(q.Key, false, 0, 0, _state.Height)));
        Command<GetBlock>(q => ServeBlocks(q.Height, 1, (blocks, height) => blocks.Count == 1 ? new BlockFound(blocks[0]) : new BlockNotFound(q.Height, height)));
        Command<SaveSnapshotSuccess>(SnapshotSaved);
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "ledger snapshot at height {0} was not saved; recovery replays from the previous one", f.Metadata.SequenceNr));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning(f.Cause, "old ledger snapshots were not deleted"));
    }

    private void RecoverSnapshot(SnapshotOffer offer)
    {
        if (offer.Snapshot is not LedgerSnapshot snapshot)
            throw new LedgerHaltException($"ledger snapshot at sequence {offer.Metadata.SequenceNr} is a {offer.Snapshot?.GetType().Name}, not a ledger snapshot");
        var state = ExchangeState.Restore(_settings.Genesis, snapshot.State);
        if (state.Height != snapshot.Height || (long)snapshot.Height != offer.Metadata.SequenceNr || state.AppHash != snapshot.AppHash)
            throw new LedgerHaltException(
                $"ledger snapshot at sequence {offer.Metadata.SequenceNr} claims height {snapshot.Height} and app hash {snapshot.AppHash} but restores height {state.Height} with app hash {state.AppHash}");
        var reader = new Exchange.Core.Ledger.Codec.CanonicalReader(snapshot.Schedule);
        var schedule = StakeSchedule.Read(ref reader, state);
        reader.EnsureEnd("ledger snapshot schedule");
        _state = state;
        _schedule = schedule;
        _tip = snapshot.Tip;
        _restoredHeight = state.Height;
    }

    private void RecoverBlock(BlockCommitted e)
    {
        if ((long)e.Height != LastSequenceNr)
            throw new LedgerHaltException($"journal entry {LastSequenceNr} holds block {e.Height}");
        if (LedgerChecks.Check(_state, e.Block, e.Commit) is { } rejected)
            throw new LedgerHaltException($"journal entry {LastSequenceNr} cannot follow the recovered state: {rejected.Reason}");
        var result = _state.Apply(e.Block);
        if (result.AppHash != e.AppHash) throw new AppHashMismatchException(e.Height, e.AppHash, result.AppHash);
        _schedule.AfterBlock(_state);
        _tip = e;
        _recent.Add(e);
    }

    private void RecoveryDone()
    {
        var replayed = _state.Height - _restoredHeight;
        var seconds = _recovery.Elapsed.TotalSeconds;
        _log.Info("ledger recovered at height {0}, app hash {1}: snapshot at height {2}, {3} blocks replayed in {4:F2} s ({5:F0} blocks/s)",
            _state.Height, _state.AppHash, _restoredHeight, replayed, seconds, replayed / Math.Max(seconds, 1e-6));
        foreach (var observer in _settings.Observers)
            if (observer.Recovered(_state, _schedule) is { } view) Context.System.EventStream.Publish(view);
    }

    private void Sync(SyncBlock sync)
    {
        if (LedgerChecks.Check(_state, sync.Block, sync.Commit) is { } rejected)
        {
            Sender.Tell(rejected);
            return;
        }
        if (LedgerChecks.CheckCommitSignatures(_state, sync.Block, sync.Commit, _schedule) is { } problem)
        {
            Sender.Tell(new BlockRejected(sync.Block.Header.Height, BlockRejection.CommitNotSigned, problem));
            return;
        }
        Commit(new CommitBlock(sync.Block, sync.Commit));
    }

    private void Commit(CommitBlock command)
    {
        if (LedgerChecks.Check(_state, command.Block, command.Commit) is { } rejected)
        {
            Sender.Tell(rejected);
            return;
        }
        var height = command.Block.Header.Height;
        BlockResult result;
        try
        {
            result = _state.Apply(command.Block);
        }
        catch (Exception e)
        {
            // The state may be half-mutated: stop before anything reads it. The journal does not have the block.
            Sender.Tell(new BlockRejected(height, BlockRejection.Halted, e.Message));
            Halt($"the state machine refused block {height}: {e.Message}", e);
            return;
        }
        _schedule.AfterBlock(_state);
        // Views are copied now, before anything can apply the next block; they are published once the block is durable.
        var views = new List<object>(_settings.Observers.Count);
        foreach (var observer in _settings.Observers)
            if (observer.AfterBlock(_state, _schedule, command.Block, result) is { } view) views.Add(view);
        var replyTo = Sender;
        var next = _schedule.Schedule.Validators;
        Persist(new BlockCommitted(command.Block, command.Commit, result.AppHash), committed =>
        {
            _tip = committed;
            _recent.Add(committed);
            var applied = new BlockApplied(height, result.AppHash, committed.Block, result.Events) { NextValidators = next, Commit = committed.Commit };
            // Views first: the reply starts the next height, whose proposer asks the mempool for transactions, and the
            // mempool must have this block's (BlockCommitted) in its mailbox before that question.
            foreach (var view in views) Context.System.EventStream.Publish(view);
            replyTo.Tell(applied);
            Context.System.EventStream.Publish(applied);
            if (height % (ulong)_settings.SnapshotInterval == 0)
                SaveSnapshot(new LedgerSnapshot(height, result.AppHash, _state.Snapshot(), ScheduleBytes(), committed));
        });
    }

    private byte[] ScheduleBytes()
    {
        var w = new Exchange.Core.Ledger.Codec.CanonicalWriter(1024);
        _schedule.WriteTo(w);
        return w.ToArray();
    }

    private void SnapshotSaved(SaveSnapshotSuccess saved)
    {
        var oldestKept = saved.Metadata.SequenceNr - (long)(_settings.SnapshotsToKeep - 1) * _settings.SnapshotInterval;
        if (oldestKept > 1) DeleteSnapshots(new SnapshotSelectionCriteria(oldestKept - 1));
    }

    /// <summary>
    /// Answers from the recent blocks when it holds them all, else from the query journal without blocking the actor.
    /// <paramref name="reply"/> gets the blocks and the ledger's height when asked: it may run off the actor's thread.
    /// </summary>
    private void ServeBlocks(ulong from, int max, Func<IReadOnlyList<BlockCommitted>, ulong, object> reply)
    {
        var replyTo = Sender;
        var height = _state.Height;
        if (from == 0 || from > height || max <= 0)
        {
            replyTo.Tell(reply([], height));
            return;
        }
        var to = Math.Min(height, from + (ulong)Math.Min(max, _settings.MaxBlocksPerRequest) - 1);
        if (_recent.TryGet(from, to, out var recent))
        {
            replyTo.Tell(reply(recent, height));
            return;
        }
        _materializer ??= Context.Materializer();
        LedgerQueries.CurrentBlocks(Context.System, _settings, from, to)
            .RunWith(Sink.Seq<BlockCommitted>(), _materializer)
            .PipeTo(replyTo, Self,
                blocks => reply(blocks, height),
                e => new BlocksUnavailable(from, $"the journal could not be read: {e.GetBaseException().Message}"));
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        Halt($"ledger recovery failed: {reason.GetBaseException().Message}", reason);
        base.OnRecoveryFailure(reason, message);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        Halt($"block {sequenceNr} could not be written to the journal: {cause.GetBaseException().Message}; the journal ends at height {sequenceNr - 1}", cause);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        Halt($"the journal rejected block {sequenceNr}: {cause.GetBaseException().Message}; the journal ends at height {sequenceNr - 1}", cause);
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    /// <summary>Says why once, tells the node, and stops: a ledger that cannot trust its state or its storage must not answer.</summary>
    private void Halt(string reason, Exception cause)
    {
        _log.Error(cause, "LEDGER HALTED: {0}", reason);
        Context.System.EventStream.Publish(new LedgerHalted(reason));
        if (_settings.StopNodeOnHalt) CoordinatedShutdown.Get(Context.System).Run(LedgerHaltedReason.Instance);
        Context.Stop(Self);
    }
}

/// <summary>The reason CoordinatedShutdown runs with when the ledger halts; the process exits with <see cref="Code"/>.</summary>
public sealed class LedgerHaltedReason : CoordinatedShutdown.Reason
{
    /// <summary>EX_SOFTWARE from sysexits.h: the node stopped itself, an operator must look.</summary>
    public const int Code = 70;
    public static readonly LedgerHaltedReason Instance = new();
    private LedgerHaltedReason() { }
    public override int ExitCode => Code;
    public override string ToString() => "the ledger halted";
}
