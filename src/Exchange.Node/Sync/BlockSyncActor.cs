using Akka.Actor;
using Akka.Event;
using Exchange.Node.Ledger;
using Exchange.Node.Peers;

namespace Exchange.Node.Sync;

/// <param name="Interval">How often the peers' ledgers are asked for their height.</param>
/// <param name="MinLag">How far the most advanced peer must be ahead before blocks are fetched: a validator a block
/// behind catches up through consensus gossip, a full node (no consensus) fetches every block.</param>
/// <param name="BatchSize">The most blocks asked for at once (the serving ledger may send fewer, see <see cref="BlockRange"/>).</param>
/// <param name="RequestTimeout">How long a peer has to answer a status or block request.</param>
/// <param name="ApplyTimeout">How long the own ledger has to apply one block.</param>
/// <param name="BadPeerPause">How long a peer that served a block the ledger refused is left aside.</param>
public sealed record BlockSyncSettings(TimeSpan Interval, ulong MinLag, int BatchSize, TimeSpan RequestTimeout, TimeSpan ApplyTimeout, TimeSpan BadPeerPause)
{
    public static readonly BlockSyncSettings Default = new(TimeSpan.FromSeconds(1), 2, 50, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1));

    /// <summary>
    /// A full node has no consensus gossip to bring it the last block: it fetches from a lag of one, and asks four
    /// times a second, so it follows a chain that makes a block every 200 ms about a block behind instead of five.
    /// </summary>
    public static BlockSyncSettings For(Hosting.NodeRole role) =>
        role == Hosting.NodeRole.Validator ? Default : Default with { MinLag = 1, Interval = TimeSpan.FromMilliseconds(250) };
}

/// <summary>Asks the sync actor what it is doing; answered with <see cref="SyncStatus"/>. Local only.</summary>
public sealed record GetSyncStatus : INoSerializationVerificationNeeded
{
    public static readonly GetSyncStatus Instance = new();
}

/// <param name="Syncing">Whether blocks are being fetched or applied.</param>
/// <param name="OwnHeight">The own ledger's height as last seen.</param>
/// <param name="BestPeerHeight">The highest height a usable peer reported; 0 with no peer.</param>
/// <param name="Applied">Blocks applied by sync since the actor started.</param>
/// <param name="PausedPeers">Peers left aside for serving blocks the ledger refused.</param>
public sealed record SyncStatus(bool Syncing, ulong OwnHeight, ulong BestPeerHeight, long Applied, IReadOnlyList<string> PausedPeers) : INoSerializationVerificationNeeded;

/// <summary>
/// Block sync (<c>/user/sync</c>): a node that has fallen behind fetches committed blocks from the most advanced peer
/// and hands each to its own ledger as <see cref="SyncBlock"/>, which verifies the block's commit against the validator
/// set of its height before applying it. Every <see cref="BlockSyncSettings.Interval"/> it asks its ledger and every
/// verified peer's <c>/user/ledger</c> for their status; once a peer is <see cref="BlockSyncSettings.MinLag"/> or more
/// ahead it asks that peer for blocks from its own next height, applies them one by one (waiting for each answer),
/// and asks again until caught up. One request is in flight at a time; a peer that does not answer in time is passed
/// over for the next round, and one that serves a block the ledger refuses is left aside for
/// <see cref="BlockSyncSettings.BadPeerPause"/>.
/// </summary>
public sealed class BlockSyncActor : ReceiveActor, IWithTimers
{
    public const string Name = Hosting.NodePaths.BlockSync;

    /// <param name="ledger">The node's own ledger.</param>
    /// <param name="resolve">A peer's ledger by its address; by default <c>ADDRESS/user/ledger</c> through remoting.</param>
    public static Props Props(IActorRef ledger, BlockSyncSettings? settings = null, Func<Address, IActorRef>? resolve = null) =>
        Akka.Actor.Props.Create(() => new BlockSyncActor(ledger, settings ?? BlockSyncSettings.Default, resolve)).WithDeploy(Deploy.Local);

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed record StatusReply(string Peer, object Answer);

    private sealed record OwnStatusReply(object Answer);

    private sealed record BlocksReply(long Request, string Peer, object Answer);

    private sealed record ApplyTimedOut(long Request);

    private readonly IActorRef _ledger;
    private readonly BlockSyncSettings _settings;
    private readonly Func<Address, IActorRef> _resolve;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    /// <summary>Each verified peer's ledger and the last height it reported, by address.</summary>
    private readonly SortedDictionary<string, (IActorRef Ledger, ulong Height)> _peers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTime> _paused = new(StringComparer.Ordinal);
    private readonly Queue<BlockCommitted> _pending = new();
    private ulong _ownHeight;
    private bool _ownHeightKnown;
    /// <summary>The request in flight (fetch or apply); 0 when idle. Answers to older requests are ignored.</summary>
    private long _request;
    private long _requests;
    private string? _source;
    private long _applied;

    public ITimerScheduler Timers { get; set; } = null!;

    public BlockSyncActor(IActorRef ledger, BlockSyncSettings settings, Func<Address, IActorRef>? resolve)
    {
        _ledger = ledger;
        _settings = settings;
        _resolve = resolve ?? DefaultResolve;

        Receive<PeerSnapshot>(s =>
        {
            foreach (var peer in s.Peers) AddPeer(peer.Address);
        });
        Receive<PeerVerified>(e => AddPeer(e.Address));
        Receive<PeerLost>(e =>
        {
            _peers.Remove(e.Address.ToString());
            _paused.Remove(e.Address.ToString());
        });
        Receive<PeerRejected>(_ => { });
        Receive<Tick>(_ => OnTick());
        Receive<OwnStatusReply>(r =>
        {
            if (r.Answer is LedgerStatus status && _request == 0) SetOwnHeight(status.Height);
            StatusAnswered();
        });
        Receive<StatusReply>(r =>
        {
            if (r.Answer is LedgerStatus status && _peers.TryGetValue(r.Peer, out var peer)) _peers[r.Peer] = (peer.Ledger, status.Height);
            StatusAnswered();
        });
        Receive<BlocksReply>(OnBlocks);
        Receive<BlockApplied>(OnApplied);
        Receive<BlockRejected>(OnRejected);
        Receive<ApplyTimedOut>(t =>
        {
            if (t.Request != _request) return;
            _log.Warning("block sync: the ledger did not answer block {0} within {1}; asking again", _ownHeight + 1, _settings.ApplyTimeout);
            Idle();
        });
        Receive<GetSyncStatus>(_ => Sender.Tell(new SyncStatus(_request != 0, _ownHeight, BestPeer()?.Height ?? 0, _applied, [.. _paused.Keys])));
    }

    private IActorRef DefaultResolve(Address address) =>
        ((ExtendedActorSystem)Context.System).Provider.ResolveActorRef(new RootActorPath(address) / "user" / Hosting.NodePaths.Ledger);

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(IPeerEvent));
        Context.ActorSelection("/user/" + PeerDirectoryActor.Name).Tell(GetPeers.Instance);
        Timers.StartPeriodicTimer("tick", Tick.Instance, _settings.Interval);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void AddPeer(Address address)
    {
        var key = address.ToString();
        if (!_peers.ContainsKey(key)) _peers[key] = (_resolve(address), 0);
    }

    private void OnTick()
    {
        var now = DateTime.UtcNow;
        foreach (var (peer, until) in _paused.ToArray())
            if (until <= now) _paused.Remove(peer);
        if (_request != 0 || _statusOutstanding > 0) return;
        _statusOutstanding = 1 + _peers.Keys.Count(k => !_paused.ContainsKey(k));
        _ledger.Ask<object>(GetStatus.Instance, _settings.RequestTimeout)
            .PipeTo(Self, success: a => new OwnStatusReply(a), failure: e => new OwnStatusReply(e));
        foreach (var (key, peer) in _peers)
        {
            if (_paused.ContainsKey(key)) continue;
            peer.Ledger.Ask<object>(GetStatus.Instance, _settings.RequestTimeout)
                .PipeTo(Self, success: a => new StatusReply(key, a), failure: e => new StatusReply(key, e));
        }
    }

    /// <summary>Status answers (or their timeouts) still due from this round of asking.</summary>
    private int _statusOutstanding;

    /// <summary>Chooses a peer only once every peer asked this round has answered or timed out, so the most advanced one is chosen, not the quickest.</summary>
    private void StatusAnswered()
    {
        if (_statusOutstanding > 0 && --_statusOutstanding > 0) return;
        MaybeFetch();
    }

    private (string Key, ulong Height)? BestPeer()
    {
        (string Key, ulong Height)? best = null;
        foreach (var (key, peer) in _peers)
            if (!_paused.ContainsKey(key) && (best is null || peer.Height > best.Value.Height)) best = (key, peer.Height);
        return best;
    }

    /// <param name="continuing">
    /// Just finished a batch: the catch-up that is under way goes on while any peer is ahead at all, so a peer that
    /// moved on while it was serving does not leave this node one block short of where the catch-up was headed.
    /// </param>
    private void MaybeFetch(bool continuing = false)
    {
        if (_request != 0 || !_ownHeightKnown) return;
        var lead = continuing ? 1UL : _settings.MinLag;
        if (BestPeer() is not { } best || best.Height < _ownHeight + lead) return;
        var from = _ownHeight + 1;
        var count = (int)Math.Min((ulong)_settings.BatchSize, best.Height - _ownHeight);
        _request = ++_requests;
        _source = best.Key;
        var request = _request;
        var key = best.Key;
        if (_applied == 0 || from % 1000 == 1)
            _log.Info("block sync: at height {0}, peer {1} is at {2}; fetching blocks from {3}", _ownHeight, key, best.Height, from);
        _peers[key].Ledger.Ask<object>(new GetBlocks(from, count), _settings.RequestTimeout)
            .PipeTo(Self, success: a => new BlocksReply(request, key, a), failure: e => new BlocksReply(request, key, new Status.Failure(e)));
    }

    private void OnBlocks(BlocksReply reply)
    {
        if (reply.Request != _request) return;
        var from = _ownHeight + 1;
        switch (reply.Answer)
        {
            case BlockRange range when range.FromHeight == from && range.Blocks.Count > 0 && Consecutive(range, from):
                foreach (var block in range.Blocks) _pending.Enqueue(block);
                if (_peers.TryGetValue(reply.Peer, out var peer)) _peers[reply.Peer] = (peer.Ledger, range.LedgerHeight);
                ApplyNext();
                return;
            case BlockRange range when range.Blocks.Count == 0:
                // The peer has fewer blocks than it said: believe what it says now.
                if (_peers.TryGetValue(reply.Peer, out var behind)) _peers[reply.Peer] = (behind.Ledger, range.LedgerHeight);
                break;
            case BlockRange range:
                Pause(reply.Peer, $"it answered a request for blocks from {from} with blocks from {range.FromHeight} that are not consecutive from there");
                break;
            case BlocksUnavailable unavailable:
                _log.Warning("block sync: peer {0} could not serve blocks from {1}: {2}", reply.Peer, unavailable.FromHeight, unavailable.Reason);
                Forget(reply.Peer);
                break;
            case Status.Failure failure:
                _log.Warning("block sync: peer {0} did not serve blocks from {1}: {2}", reply.Peer, from, failure.Cause.Message);
                Forget(reply.Peer);
                break;
            default:
                Pause(reply.Peer, $"it answered a block request with a {reply.Answer.GetType().Name}");
                break;
        }
        Idle();
    }

    private static bool Consecutive(BlockRange range, ulong from)
    {
        for (var i = 0; i < range.Blocks.Count; i++)
            if (range.Blocks[i].Height != from + (ulong)i) return false;
        return true;
    }

    private void ApplyNext()
    {
        if (!_pending.TryDequeue(out var next))
        {
            Idle();
            MaybeFetch(continuing: true);
            return;
        }
        _request = ++_requests;
        _ledger.Tell(new SyncBlock(next.Block, next.Commit), Self);
        Timers.StartSingleTimer("apply", new ApplyTimedOut(_request), _settings.ApplyTimeout);
    }

    private void OnApplied(BlockApplied applied)
    {
        if (_request == 0 || applied.Height != _ownHeight + 1) return;
        Timers.Cancel("apply");
        SetOwnHeight(applied.Height);
        _applied++;
        if (_pending.Count == 0 && BestPeer() is { } best && best.Height < _ownHeight + _settings.MinLag)
            _log.Info("block sync: caught up at height {0} ({1} blocks applied by sync)", _ownHeight, _applied);
        ApplyNext();
    }

    private void OnRejected(BlockRejected rejected)
    {
        if (_request == 0) return;
        Timers.Cancel("apply");
        if (rejected.Code == BlockRejection.WrongHeight)
        {
            // Consensus applied blocks meanwhile: not the peer's fault; the next tick reads the ledger's height again.
            _ownHeightKnown = false;
        }
        else if (_source is not null)
        {
            Pause(_source, $"the ledger refused its block {rejected.Height}: {rejected.Code} {rejected.Reason}");
        }
        Idle();
    }

    private void Pause(string peer, string why)
    {
        _log.Warning("block sync: leaving peer {0} aside for {1}: {2}", peer, _settings.BadPeerPause, why);
        _paused[peer] = DateTime.UtcNow + _settings.BadPeerPause;
        Forget(peer);
    }

    /// <summary>Its height is unknown until it answers the next status request.</summary>
    private void Forget(string peer)
    {
        if (_peers.TryGetValue(peer, out var p)) _peers[peer] = (p.Ledger, 0);
    }

    private void SetOwnHeight(ulong height)
    {
        _ownHeight = height;
        _ownHeightKnown = true;
    }

    private void Idle()
    {
        _request = 0;
        _source = null;
        _pending.Clear();
    }
}
