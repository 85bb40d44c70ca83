using Akka.Actor;
using Akka.Event;
using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Oracle;
using Exchange.Node.Crypto;
using Exchange.Node.Mempool;

namespace Exchange.Node.Validator;

/// <summary>
/// One validator's consensus: a thin shell around <see cref="ConsensusCore"/>, which decides everything. The actor
/// is the only writer of the round state (all inputs reach the core from its mailbox, one at a time) and turns the
/// core's outputs into effects:
/// <list type="bullet">
/// <item><see cref="ConsensusOutput.Broadcast"/>: the signer has already persisted the signature in the
/// <see cref="FileSignStateStore"/>; the actor appends the message to the <see cref="ConsensusWal"/>, fsyncs it, and
/// only then Tells it to every peer ValidatorActor (<see cref="ValidatorPeersChanged"/>).</item>
/// <item><see cref="ConsensusOutput.ScheduleTimeout"/>: a single timer keyed by (height, round, step); the core drops
/// a timeout it has moved past, and the timers of a finished height are cancelled.</item>
/// <item><see cref="ConsensusOutput.RequestPayload"/>, <see cref="ConsensusOutput.ValidateBlock"/> and
/// <see cref="ConsensusOutput.CommitBlock"/>: <see cref="BuildBlock"/>, <see cref="ValidateBlockRequest"/> and
/// <see cref="BlockDecided"/> to the application; its answers come back as messages. The next height starts when
/// the application reports <see cref="HeightApplied"/>.</item>
/// <item><see cref="ConsensusOutput.EvidenceFound"/>: logged and published as <see cref="EvidenceObserved"/>; the
/// core also offers it to the next <see cref="BuildBlock"/>.</item>
/// </list>
/// Around the core it does what the simulator's node does (docs/consensus.md): peers' messages of the current
/// height go to the core, after their stateless checks and unless already taken in; those of the next height wait
/// in a bounded buffer; older ones are dropped and counted. Gossip and catch-up are in ValidatorActor.Gossip.cs.
/// <para>
/// Restart: the core is rebuilt over the same sign-state file and the WAL of the height it was deciding is replayed
/// through it, so it resumes in the round and step it left, locked as it was. Without a WAL (lost, or a height it
/// had not started) it enters the height at round 0 with no lock; the sign state then refuses every vote below the
/// last one it signed, so it stays silent until the f+1 rule (line 55) carries it to a round above, and never double
/// signs.
/// </para>
/// <para>
/// Signature checks run in the core, on this actor's thread: tens of microseconds per vote, and duplicates are
/// dropped before they reach it. The fsyncs before each own message also run here, by design: nothing may be sent
/// before it is durable. The host may give the actor a dedicated dispatcher so those waits do not hold a shared
/// thread.
/// </para>
/// <para>
/// Transport, for the host's HOCON: peers are plain <see cref="IActorRef"/>s and every message is a Tell, so latency
/// is one Akka.Remote hop. The node's transport (<c>akka.remote.socket-tcp</c>) writes each message to the socket as
/// it is sent, never batching; a host on another transport must turn its write batching off (Akka.Remote's
/// reference.conf advises this for traffic that needs delivery within 40 ms). Keep <c>tcp-nodelay = on</c>, and raise <c>maximum-frame-size</c> (default 128000b) and the socket buffer sizes above the
/// largest <see cref="Proposal"/> it accepts, since a proposal carries its block.
/// </para>
/// </summary>
public sealed partial class ValidatorActor : ReceiveActor, IWithTimers
{
    /// <summary>Drops by which the core refuses a peer's message without changing any state: such a message is neither logged nor relayed.</summary>
    private static readonly DropReason[] Refusals =
    [
        DropReason.NotStarted, DropReason.InvalidMessage, DropReason.WrongHeight, DropReason.UnknownValidator,
        DropReason.RoundTooFarAhead, DropReason.NotProposer, DropReason.BadSignature,
    ];

    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(1);

    private readonly ValidatorSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HeightGossip _gossip;
    private readonly SortedDictionary<ulong, (Block Block, Commit Commit)> _recent = new();
    private readonly HashSet<TimeoutFired> _armed = [];
    private FileSignStateStore? _store;
    private ConsensusWal? _wal;
    private ConsensusCore _core = null!;
    private IReadOnlyDictionary<PublicKey, IActorRef> _peers = new Dictionary<PublicKey, IActorRef>();
    private ValidatorSet? _validators;
    private bool _started;
    private bool _awaitingApply;
    private PriceObservation? _observation;
    private long _stale, _duplicates, _invalid, _earlyBuffered, _earlyDropped, _tooFarAhead, _walReplayed, _evidence, _proposalsWanted, _proposalsFilled;
    /// <summary>Compact proposals waiting for the mempool's copies of what they lacked, by request.</summary>
    private readonly Dictionary<long, (CompactProposal Proposal, IActorRef From)> _finding = [];
    private long _findRequests;
    /// <summary>More compact proposals than this waiting means the mempool is not answering: ask proposers for the whole.</summary>
    private const int MaxFinding = 8;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ValidatorSettings settings) => Akka.Actor.Props.Create(() => new ValidatorActor(settings));

    public ValidatorActor(ValidatorSettings settings)
    {
        _settings = settings;
        _gossip = new HeightGossip(settings.MaxEarlyVotes, settings.MaxEarlyProposals);
        Receive<Proposal>(OnPeerMessage);
        Receive<CompactProposal>(OnCompactProposal);
        Receive<ProposalWanted>(OnProposalWanted);
        Receive<TxsFound>(OnTxsFound);
        Receive<FindTimedOut>(OnFindTimedOut);
        Receive<Vote>(OnPeerMessage);
        Receive<TimeoutFired>(OnTimeout);
        Receive<BlockBuilt>(OnBlockBuilt);
        Receive<BlockValidity>(OnBlockValidity);
        Receive<ObservationReady>(OnObservation);
        Receive<HeightApplied>(OnHeightApplied);
        Receive<ConsensusStatus>(OnStatus);
        Receive<DecidedBlock>(OnDecidedBlock);
        Receive<GossipTick>(_ => OnGossipTick());
        Receive<ValidatorPeersChanged>(m => _peers = m.Peers.Where(p => p.Key != settings.Key.PublicKey).ToDictionary());
        Receive<GetValidatorStatus>(_ => Sender.Tell(Status()));
    }

    private PublicKey Me => _settings.Key.PublicKey;
    private ConsensusWal Wal => _wal!;

    /// <summary>Opens the durable state (a corrupt or locked file stops the actor here) and asks the application where to start.</summary>
    protected override void PreStart()
    {
        try
        {
            // The WAL journals what the core signs (see FileSignStateStore): a save only writes, and the WAL's header
            // carries the state into the next height. After a crash the WAL gives back what the file may have missed.
            _store = FileSignStateStore.Open(_settings.SignStatePath, Me, deferSync: true);
            _wal = ConsensusWal.Open(_settings.WalPath);
            if (LastSignedIn(_wal) is { } signed && _store.CatchUp(signed))
                _log.Info("validator {0}: sign state raised to height {1} round {2} {3} from the consensus WAL", Me, signed.Height, signed.Round, signed.Step);
        }
        catch (Exception e)
        {
            _log.Error(e, "validator {0} cannot start: {1}", Me, e.Message);
            Close();
            throw;
        }
        if (_wal.IgnoredBytes > 0)
            _log.Warning("consensus WAL {0}: cut {1} bytes of a torn last write at height {2}", _wal.Path, _wal.IgnoredBytes, _wal.Height);
        // Votes verified here are met again in the next block's commit, which the ledger checks against the same record.
        var consensus = _settings.Consensus.Verifier is null ? _settings.Consensus with { Verifier = VerifiedSignatures.Shared.Verify } : _settings.Consensus;
        _core = new ConsensusCore(consensus, new PrivValidator(_settings.Key, _store));
        Timers.StartPeriodicTimer(GossipTick.Instance, GossipTick.Instance, _settings.GossipInterval);
        _settings.Application.Tell(GetLastApplied.Instance, Self);
    }

    protected override void PostStop() => Close();

    /// <summary>The highest (height, round, step) the WAL shows this validator signed: its own proposals and votes, and the state its header carried in.</summary>
    private LastSignState? LastSignedIn(ConsensusWal wal)
    {
        var last = wal.Carried;
        foreach (var entry in wal.Entries)
        {
            if (!entry.Own || entry.Message is not { } message) continue;
            var signed = LastSignState.Of(message, _settings.Consensus.ChainId);
            if (last is null || last.CompareTo(signed.Height, signed.Round, signed.Step) < 0) last = signed;
        }
        return last;
    }

    private void Close()
    {
        _wal?.Dispose();
        _store?.Dispose();
        _wal = null;
        _store = null;
    }

    private void OnHeightApplied(HeightApplied m)
    {
        var next = m.Height + 1;
        if (_started && next <= _core.Height) return;
        StartHeight(next, m.NextHeightValidators, m.Commit);
    }

    /// <summary>Lines 52-54 of Algorithm 1 on the node's side: a fresh height, its WAL replayed when it is the one the log holds, then the messages that came early.</summary>
    private void StartHeight(ulong height, ValidatorSet validators, Commit lastCommit)
    {
        foreach (var key in _armed) Timers.Cancel(key);
        _armed.Clear();
        _started = true;
        _awaitingApply = false;
        _validators = validators;
        var early = _gossip.Reset(height);
        var resume = Wal.Height == height;
        // The finished height's own messages journaled the sign state, and the new header carries it on: no store sync.
        if (!resume) Wal.Begin(height, _store!.Load());
        var startOutputs = _core.Handle(new ConsensusInput.Start(height, validators, lastCommit));
        if (resume) Replay(startOutputs);
        else Execute(startOutputs);
        _settings.Oracle.Tell(new ObservationRequested(height), Self);
        if (_observation is { } o && o.Height == height)
        {
            _observation = null;
            Feed(new WalEntry(new ConsensusInput.ExtensionReady(o)));
        }
        foreach (var m in early) OnPeerMessage(m);
        TakeDecidedAhead();
        AskForWhatWasDropped(early);
    }

    private void OnPeerMessage(IConsensusMessage m)
    {
        if (!m.Validate().IsValid) { _invalid++; return; }
        if (!_started || m.Height < _core.Height) { _stale++; return; }
        if (m.Height == _core.Height)
        {
            if (_awaitingApply) { _stale++; return; }
            if (_gossip.Seen(m)) { _duplicates++; return; }
            FeedMessage(m);
            return;
        }
        if (m.Height > _core.Height + 1)
        {
            _tooFarAhead++;
            NoteDropped(m.Height);
            TellBehind();
            return;
        }
        switch (_gossip.Buffer(m))
        {
            case BufferResult.Buffered: _earlyBuffered++; break;
            case BufferResult.Duplicate: _duplicates++; break;
            case BufferResult.Full: _earlyDropped++; break;
            default: throw new InvalidOperationException("unknown buffer result");
        }
    }

    private void OnTimeout(TimeoutFired t)
    {
        _armed.Remove(t);
        if (!_started || _awaitingApply || t.Height != _core.Height) return;
        Feed(new WalEntry(new ConsensusInput.TimeoutElapsed(t.Height, t.Round, t.Step)));
    }

    private void OnBlockBuilt(BlockBuilt b)
    {
        if (!_started || _awaitingApply || b.Height != _core.Height) return;
        Feed(new WalEntry(new ConsensusInput.PayloadReady(b.Height, b.Round, b.Block)));
    }

    private void OnBlockValidity(BlockValidity v)
    {
        if (!_started || _awaitingApply) return;
        Feed(new WalEntry(new ConsensusInput.BlockValidated(v.BlockHash, v.Valid)));
    }

    private void OnObservation(ObservationReady o)
    {
        var height = o.Observation.Height;
        if (o.Observation.Validator != Me) return;
        if (!_started || height > _core.Height) _observation = o.Observation;
        else if (height == _core.Height && !_awaitingApply) Feed(new WalEntry(new ConsensusInput.ExtensionReady(o.Observation)));
    }

    /// <summary>Writes the input ahead, lets the core handle it, and carries out what it asks.</summary>
    private void Feed(WalEntry entry)
    {
        Wal.Append(entry);
        Execute(_core.Handle(entry.Input));
    }

    /// <summary>
    /// A peer's message of this height. It is logged only when the core did not refuse it (a refused message changed
    /// nothing, so replay does not need it, and a peer sending forged signatures cannot fill the log); the log record
    /// still precedes every effect, because nothing leaves before <see cref="Execute"/> syncs the log. A message that
    /// passed cleanly is kept for relaying; a conflicting vote is logged (the core counts it) but not relayed.
    /// </summary>
    private void FeedMessage(IConsensusMessage m)
    {
        var refusedBefore = Refused();
        var equivocationsBefore = _core.DroppedCount(DropReason.Equivocation);
        var input = WalEntry.InputOf(m);
        var outputs = _core.Handle(input);
        var refused = Refused() != refusedBefore;
        if (!refused) Wal.Append(new WalEntry(input));
        Execute(outputs);
        if (!refused && _core.DroppedCount(DropReason.Equivocation) == equivocationsBefore) _gossip.AddPassed(m);
    }

    /// <summary>Own messages are made durable in the WAL (with every input before them) before any is sent; then each output's effect, in order.</summary>
    private void Execute(IReadOnlyList<ConsensusOutput> outputs)
    {
        var signed = false;
        foreach (var output in outputs)
        {
            if (output is not ConsensusOutput.Broadcast b) continue;
            Wal.Append(WalEntry.OwnMessage(b.Message));
            signed = true;
        }
        if (signed) Wal.Sync();
        foreach (var output in outputs)
        {
            switch (output)
            {
                case ConsensusOutput.Broadcast b:
                    _gossip.AddOwn(b.Message);
                    SendToPeers(b.Message);
                    break;
                case ConsensusOutput.ScheduleTimeout t:
                    var key = new TimeoutFired(t.Height, t.Round, t.Step);
                    _armed.Add(key);
                    var delay = TimeSpan.FromMilliseconds(Math.Min(t.DurationMs, (long)LongestTimer.TotalMilliseconds));
                    Timers.StartSingleTimer(key, key, delay);
                    break;
                case ConsensusOutput.RequestPayload p:
                    _settings.Application.Tell(new BuildBlock(p.Height, p.Round, p.LastCommit, p.Evidence), Self);
                    break;
                case ConsensusOutput.ValidateBlock v:
                    _settings.Application.Tell(new ValidateBlockRequest(v.Block), Self);
                    break;
                case ConsensusOutput.CommitBlock c:
                    Decide(c.Block, c.Commit);
                    break;
                case ConsensusOutput.EvidenceFound e:
                    _evidence++;
                    _log.Warning("validator {0} signed twice at {1} of height {2} round {3}", e.Evidence.Offender, e.Evidence.Offence.Step,
                        e.Evidence.Height, e.Evidence.Offence.Round);
                    Context.System.EventStream.Publish(new EvidenceObserved(Me, e.Evidence));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(outputs), output, "unknown consensus output");
            }
        }
    }

    /// <summary>
    /// Rebuilds the round state from the WAL of this height, then carries out only what is still pending: the
    /// current round's timers, a block request the application has not answered, verdicts not yet given, a decision
    /// not yet applied, evidence. Own messages signed again during the replay (the signer returns the stored
    /// signature for the identical message) are logged if the WAL missed them, and all own messages are resent.
    /// </summary>
    private void Replay(IReadOnlyList<ConsensusOutput> startOutputs)
    {
        var outputs = new List<ConsensusOutput>(startOutputs);
        var entries = Wal.Entries.ToList();
        foreach (var entry in entries)
        {
            var equivocationsBefore = _core.DroppedCount(DropReason.Equivocation);
            outputs.AddRange(_core.Handle(entry.Input));
            if (entry.Message is not { } m) continue;
            if (entry.Own) _gossip.AddOwn(m);
            else if (_core.DroppedCount(DropReason.Equivocation) == equivocationsBefore) _gossip.AddPassed(m);
        }
        _walReplayed += entries.Count;
        var inputs = entries.Select(e => e.Input).ToList();
        var built = inputs.OfType<ConsensusInput.PayloadReady>().Select(p => p.Round).ToHashSet();
        var judged = inputs.OfType<ConsensusInput.BlockValidated>().Select(v => v.BlockHash).ToHashSet();
        var pending = outputs.Where(o => o switch
        {
            ConsensusOutput.Broadcast b => !_gossip.Seen(b.Message),
            ConsensusOutput.ScheduleTimeout t => t.Round == _core.Round,
            ConsensusOutput.RequestPayload p => p.Round == _core.Round && _core.Step == RoundStep.Propose && !built.Contains(p.Round),
            ConsensusOutput.ValidateBlock v => !judged.Contains(v.Block.Hash()),
            ConsensusOutput.CommitBlock or ConsensusOutput.EvidenceFound => true,
            _ => throw new ArgumentOutOfRangeException(nameof(startOutputs), o, "unknown consensus output"),
        }).ToList();
        _log.Info("validator {0} replayed {1} WAL records: height {2}, round {3}, step {4}, locked round {5}", Me, entries.Count, _core.Height,
            _core.Round, _core.Step, _core.LockedRound);
        Execute(pending);
        foreach (var m in _gossip.Own) SendToPeers(m);
    }

    /// <summary>The block is final (by this core, or by a verified commit from a peer): keep it for catch-up and hand it to the application.</summary>
    private void Decide(Block block, Commit commit)
    {
        _awaitingApply = true;
        _recent[block.Header.Height] = (block, commit);
        while (_recent.Count > _settings.RecentDecisions) _recent.Remove(_recent.Keys.First());
        _settings.Application.Tell(new BlockDecided(block, commit), Self);
    }

    /// <summary>
    /// Votes travel as they are; a proposal travels compact, its transactions as ids, because every validator has them
    /// from mempool gossip already (the node's serializer carries both by their canonical encodings).
    /// </summary>
    private void SendToPeers(IConsensusMessage message)
    {
        object wire = message is Proposal p ? CompactProposal.Of(p) : message;
        foreach (var peer in _peers.Values) peer.Tell(wire, Self);
    }

    /// <summary>
    /// A compact proposal is put back together from the transactions this node has verified and then handled like a
    /// whole one (the header's transaction root checks every transaction); lacking some, the node asks the sender for
    /// the whole proposal.
    /// </summary>
    private void OnCompactProposal(CompactProposal m)
    {
        if (_started && m.Height < _core.Height) { _stale++; return; }
        if (m.Expand(VerifiedTransactions.Shared.Find) is { } proposal)
        {
            OnPeerMessage(proposal);
            return;
        }
        // Under load the missing transactions came by gossip just before the proposal and still wait in this node's
        // own verification queue: its mempool's copies, verified by the application before the block is judged, save
        // fetching the whole block from the proposer, whose transactions would have to be verified here all the same.
        if (_finding.Values.Any(e => e.Proposal.Height == m.Height && e.Proposal.Round == m.Round)) return;
        if (_settings.Mempool.IsNobody() || _finding.Count >= MaxFinding)
        {
            WantWhole(m, Sender);
            return;
        }
        var missing = m.Block.TxIds.Where(id => !VerifiedTransactions.Shared.Contains(id)).ToArray();
        var request = ++_findRequests;
        _finding[request] = (m, Sender);
        _settings.Mempool.Tell(new FindTxs(missing, request), Self);
        Timers.StartSingleTimer(new FindTimedOut(request), new FindTimedOut(request), _settings.MempoolTimeout);
    }

    /// <summary>The mempool's copies of what a compact proposal lacked: the proposal again, or, lacking some still, the whole one from its sender.</summary>
    private void OnTxsFound(TxsFound found)
    {
        if (!_finding.Remove(found.RequestId, out var pending)) return;
        Timers.Cancel(new FindTimedOut(found.RequestId));
        if (found.Unknown == 0)
        {
            // A proposal may name one id twice (a faulty proposer's): the block check refuses it, this must not throw.
            var byId = new Dictionary<Hash32, Transaction>(found.Transactions.Count);
            foreach (var tx in found.Transactions) byId.TryAdd(tx.Hash(), tx);
            if (pending.Proposal.Expand(id => VerifiedTransactions.Shared.Find(id) ?? byId.GetValueOrDefault(id)) is { } proposal)
            {
                _proposalsFilled++;
                OnPeerMessage(proposal);
                return;
            }
        }
        WantWhole(pending.Proposal, pending.From);
    }

    private void OnFindTimedOut(FindTimedOut t)
    {
        if (_finding.Remove(t.RequestId, out var pending)) WantWhole(pending.Proposal, pending.From);
    }

    private void WantWhole(CompactProposal m, IActorRef from)
    {
        if (_started && m.Height < _core.Height) { _stale++; return; }
        _proposalsWanted++;
        from.Tell(new ProposalWanted(m.Height, m.Round), Self);
    }

    /// <summary>
    /// A peer lacked transactions of a proposal this node sent or relayed: it gets the whole proposal, or, when this
    /// node has decided that height meanwhile (the others went on without the slow one), the decided block and its
    /// commit at once, rather than after its next status.
    /// </summary>
    private void OnProposalWanted(ProposalWanted w)
    {
        // Once per peer, height and round per gossip interval: a peer cannot make this node resend blocks in a loop.
        if (!_started || !_proposalsSent.Add((Sender, w.Height, w.Round))) return;
        if (w.Height < _core.Height && _recent.TryGetValue(w.Height, out var decided))
        {
            _catchUpsSent++;
            Sender.Tell(new DecidedBlock(decided.Block, decided.Commit), Self);
            return;
        }
        if (w.Height != _core.Height) return;
        var proposal = _gossip.Own.Concat(_gossip.Relay).OfType<Proposal>().FirstOrDefault(p => p.Round == w.Round);
        if (proposal is not null) Sender.Tell(proposal, Self);
    }

    private long Refused()
    {
        long sum = 0;
        foreach (var reason in Refusals) sum += _core.DroppedCount(reason);
        return sum;
    }

    private ValidatorStatus Status() => new(
        _core.Height, _core.Round, _core.Step, _core.Decided || _awaitingApply, _core.LockedRound, _core.LockedValue,
        new SortedDictionary<DropReason, long>(_core.Dropped.ToDictionary()),
        _stale, _duplicates, _invalid, _earlyBuffered, _earlyDropped, _tooFarAhead,
        _catchUpsSent, _catchUpsTaken, _catchUpsRefused, _walReplayed, _evidence) { ProposalsWanted = _proposalsWanted, ProposalsFilled = _proposalsFilled };
}
