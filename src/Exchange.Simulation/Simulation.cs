using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.State;

namespace Exchange.Simulation;

/// <summary>
/// Runs one <see cref="Scenario"/> to its end in virtual time and checks it. Every random choice comes from one
/// <see cref="SplitMix64"/> seeded by the scenario and is drawn in event order, and events run in
/// (time, sequence) order, so a seed replays exactly. The node shells here play the parts a real node plays
/// around <see cref="ConsensusCore"/>: the application, the timers, gossip that resends a stuck height's
/// messages, and block sync for peers that fell behind.
/// </summary>
public sealed partial class Simulation
{
    public const string ChainId = "exchange-sim-1";
    public const int MaxEarlyMessages = 10_000;
    public static readonly TimeoutConfig Timeouts = new(300, 100, 100, 50, 100, 50);
    private static readonly byte[] Aux = new byte[32];

    private readonly Scenario _s;
    private readonly ConsensusConfig _config;
    private readonly SplitMix64 _rng;
    private readonly EventQueue _queue = new();
    private readonly SimNode[] _nodes;
    private readonly List<ValidatorSet> _sets = [];
    private ValidatorSchedule _schedule;
    private readonly SortedDictionary<FaultKind, long> _faults = new();
    private readonly List<Violation> _violations = [];
    private readonly SortedSet<Hash32> _poisoned = new();
    private readonly Genesis _genesis;
    /// <summary>Equivocations at the scenario's heights that an honest machine took in: each must end up slashed on every honest machine.</summary>
    private readonly SortedSet<Offence> _required = new();
    private readonly long[] _reachedTargetAt;
    private long _now, _events, _messages, _verifications, _equivocationsSeen, _undecodable;
    private ulong _digest = 14695981039346656037UL;

    private Simulation(Scenario s)
    {
        _s = s;
        _config = new ConsensusConfig(ChainId, Timeouts);
        _rng = new SplitMix64(s.Seed);
        var keys = Enumerable.Range(0, s.Stakes.Count).Select(KeyOf).ToArray();
        _schedule = ValidatorSchedule.Genesis(ValidatorSet.Create(keys.Select((k, i) => (k.PublicKey, s.Stakes[i]))));
        _genesis = Application.GenesisFor(keys.Select((k, i) => (k.PublicKey, s.Stakes[i])));
        _nodes = [.. Enumerable.Range(0, s.Machines).Select(m => new SimNode(m, keys[s.KeyOfMachine[m]], s.Behaviours[m], s.IsHonest(m), ExchangeState.FromGenesis(_genesis)))];
        _reachedTargetAt = [.. Enumerable.Repeat(-1L, s.Machines)];
    }

    public static SimulationResult Run(Scenario scenario) => new Simulation(scenario).Execute();

    /// <summary>The fixed key of validator <paramref name="index"/>: a scenario changes stakes and behaviour, not keys.</summary>
    public static KeyPair KeyOf(int index)
    {
        var secret = new byte[32];
        secret[0] = 0x5A;
        secret[30] = (byte)((index + 1) >> 8);
        secret[31] = (byte)(index + 1);
        return KeyPair.FromSecret(secret);
    }

    private ValidatorSet ValidatorsAt(ulong height)
    {
        while ((ulong)_sets.Count < height)
        {
            _sets.Add(_schedule.Validators);
            _schedule = _schedule.AfterCommit([]);
        }
        return _sets[(int)height - 1];
    }

    private void Count(FaultKind kind, long n = 1) => _faults[kind] = _faults.GetValueOrDefault(kind) + n;

    private SimulationResult Execute()
    {
        foreach (var p in _s.Partitions) Count(FaultKind.Partition);
        foreach (var c in _s.Crashes)
        {
            _queue.Schedule(c.AtMs, new SimEvent.Crash(c.Node));
            _queue.Schedule(c.RestartMs, new SimEvent.Restart(c.Node));
        }
        foreach (var node in _nodes) Boot(node);
        while (!AllHonestReachedTarget() && _queue.TryNext(out var e, out var time, out var seq))
        {
            if (time > _s.TimeLimitMs) break;
            _now = time;
            _events++;
            Fold((ulong)time);
            Fold((ulong)seq);
            Dispatch(e);
        }
        foreach (var node in _nodes) CheckEvidence(node);
        return Finish();
    }

    /// <summary>Every honest machine committed the scenario's heights and slashed every equivocation an honest machine saw.</summary>
    private bool AllHonestReachedTarget()
    {
        foreach (var node in _nodes)
        {
            if (!node.Honest) continue;
            if ((ulong)node.Chain.Count < _s.Heights) return false;
            foreach (var offence in _required)
                if (!node.State.IsSlashed(offence)) return false;
        }
        return true;
    }

    private void Dispatch(SimEvent e)
    {
        switch (e)
        {
            case SimEvent.Deliver d: Fold(1); Fold((ulong)d.From); Fold((ulong)d.To); FoldBytes(d.Bytes); OnDeliver(d); break;
            case SimEvent.Sync y: Fold(2); Fold((ulong)y.From); Fold((ulong)y.To); Fold(y.Commit.Height); OnSync(y); break;
            case SimEvent.Status st: Fold(8); Fold((ulong)st.From); Fold((ulong)st.To); Fold(st.Height); OnStatus(st); break;
            case SimEvent.Timer t: Fold(3); Fold((ulong)t.Node); Fold(t.Height); Fold(t.Round); Fold((ulong)t.Step); OnTimer(t); break;
            case SimEvent.StartHeight h: Fold(4); Fold((ulong)h.Node); Fold(h.Height); OnStartHeight(h); break;
            case SimEvent.GossipTick g: Fold(5); Fold((ulong)g.Node); OnGossip(g); break;
            case SimEvent.Crash c: Fold(6); Fold((ulong)c.Node); OnCrash(_nodes[c.Node]); break;
            case SimEvent.Restart r: Fold(7); Fold((ulong)r.Node); OnRestart(_nodes[r.Node]); break;
            default: throw new ArgumentOutOfRangeException(nameof(e), e, "unknown simulation event");
        }
    }

    private void Boot(SimNode node)
    {
        node.Boot(_config);
        StartCore(node);
        _queue.Schedule(_now + _s.GossipIntervalMs, new SimEvent.GossipTick(node.Index, node.Incarnation));
    }

    /// <summary>
    /// Starts the core at the first height the node has not committed, with the oracle's observation for its precommit
    /// there (a small seeded drift around the index), then feeds it the stored evidence and what arrived early for that height.
    /// </summary>
    private void StartCore(SimNode node)
    {
        var h = node.NextHeight;
        var last = node.Chain.Count == 0 ? Commit.Empty : node.Chain[^1].Commit;
        Feed(node, new ConsensusInput.ExtensionReady(Application.Observation(node.Key.PublicKey, h, _now, _rng.Between(-50_000_000, 50_000_000))));
        Feed(node, new ConsensusInput.Start(h, ValidatorsAt(h), last));
        foreach (var evidence in node.EvidenceStore.Values.ToArray()) Feed(node, new ConsensusInput.EvidenceReceived(evidence));
        var early = node.Early.Where(x => x.Height == h).Select(x => x.Input).ToList();
        node.Early.Clear();
        foreach (var input in early) Feed(node, input);
    }

    private void OnCrash(SimNode node)
    {
        if (!node.Up) return;
        CheckEvidence(node);
        node.Crash();
        Count(FaultKind.Crash);
    }

    private void OnRestart(SimNode node)
    {
        if (!node.Up) Boot(node);
    }

    private void OnTimer(SimEvent.Timer t)
    {
        var node = _nodes[t.Node];
        if (node.Up && node.Incarnation == t.Incarnation) Feed(node, new ConsensusInput.TimeoutElapsed(t.Height, t.Round, t.Step));
    }

    private void OnStartHeight(SimEvent.StartHeight s)
    {
        var node = _nodes[s.Node];
        if (node.Up && node.Incarnation == s.Incarnation && node.NextHeight == s.Height && node.Core!.Height < s.Height) StartCore(node);
    }

    /// <summary>
    /// Gossip: a node whose height has not moved since the last tick sends all it sent at this height again, every
    /// round: a re-proposal needs its proof-of-lock prevotes from an earlier round (line 28), so old rounds matter.
    /// </summary>
    private void OnGossip(SimEvent.GossipTick g)
    {
        var node = _nodes[g.Node];
        if (!node.Up || node.Incarnation != g.Incarnation) return;
        if (node.Behaviour != Behaviour.Silent)
            foreach (var evidence in node.Core!.Evidence.Pending)
                if (!node.State.IsSlashed(evidence.Offence)) SendEvidence(node, evidence);
        if (node.NextHeight == node.HeightAtLastTick)
        {
            foreach (var (to, bytes) in node.Sent.ToArray()) Send(node.Index, to, bytes);
            if (node.Behaviour != Behaviour.Silent)
            {
                RelayRounds(node);
                for (var to = 0; to < _nodes.Length; to++)
                    if (to != node.Index) SendStatus(node.Index, to, node.NextHeight);
            }
        }
        node.HeightAtLastTick = node.NextHeight;
        _queue.Schedule(_now + _s.GossipIntervalMs, new SimEvent.GossipTick(node.Index, node.Incarnation));
    }

    /// <summary>
    /// Relays peers' messages of the current and previous round and of the core's locked and valid rounds: a
    /// validator that missed one vote of a proof of lock (say, its only copy from a Byzantine sender was garbage)
    /// gets it from a peer that has it, as CometBFT's vote gossip would give it.
    /// </summary>
    private void RelayRounds(SimNode node)
    {
        var core = node.Core!;
        foreach (var (round, bytes) in node.Relay.ToArray())
        {
            var wanted = round == core.Round || (ulong)round + 1 == core.Round || round == core.LockedRound || round == core.ValidRound;
            if (!wanted) continue;
            for (var to = 0; to < _nodes.Length; to++)
                if (to != node.Index) Send(node.Index, to, bytes);
        }
    }

    private void SendStatus(int from, int to, ulong height)
    {
        _messages++;
        if (!Links.CanReach(_s, from, to, _now) || _rng.Chance(_s.Network.DropPerMille)) return;
        _queue.Schedule(_now + _rng.Between(_s.Network.MinDelayMs, _s.Network.MaxDelayMs), new SimEvent.Status(from, to, height));
    }

    private void OnStatus(SimEvent.Status st)
    {
        var node = _nodes[st.To];
        if (node.Up) MaybeSync(node, st.From, st.Height);
    }

    private void OnDeliver(SimEvent.Deliver d)
    {
        var node = _nodes[d.To];
        if (!node.Up) return;
        if (Wire.IsEvidence(d.Bytes))
        {
            if (!Wire.TryDecodeEvidence(d.Bytes, out var evidence))
            {
                _undecodable++;
                return;
            }
            if (node.State.IsSlashed(evidence!.Offence) || !node.EvidenceStore.TryAdd(evidence.Offence, evidence)) return;
            Feed(node, new ConsensusInput.EvidenceReceived(evidence));
            return;
        }
        if (!Wire.TryDecode(d.Bytes, out var message))
        {
            _undecodable++;
            return;
        }
        var coreHeight = node.Core!.Height;
        ConsensusInput input = message switch
        {
            Proposal p => new ConsensusInput.ProposalReceived(p),
            Vote v => new ConsensusInput.VoteReceived(v),
            _ => throw new ArgumentOutOfRangeException(nameof(d), message, "unknown consensus message"),
        };
        if (message!.Height == coreHeight) Feed(node, input);
        else if (message.Height == coreHeight + 1 && node.Early.Count < MaxEarlyMessages) node.Early.Add((message.Height, input));
    }

    /// <summary>
    /// Block sync: a stuck peer said it is at a height this node has committed, so this node sends that block and
    /// its commit, at most once per peer and height per gossip interval. Late votes of an old height do not
    /// trigger it: their sender has usually committed too.
    /// </summary>
    private void MaybeSync(SimNode node, int peer, ulong height)
    {
        if (node.Behaviour == Behaviour.Silent || height == 0 || height > (ulong)node.Chain.Count) return;
        if (node.LastSyncSent.TryGetValue((peer, height), out var at) && _now - at < _s.GossipIntervalMs) return;
        node.LastSyncSent[(peer, height)] = _now;
        var (block, commit) = node.Chain[(int)height - 1];
        _messages++;
        if (!Links.CanReach(_s, node.Index, peer, _now) || _rng.Chance(_s.Network.DropPerMille)) return;
        _queue.Schedule(_now + _rng.Between(_s.Network.MinDelayMs, _s.Network.MaxDelayMs), new SimEvent.Sync(node.Index, peer, block.Encode(), commit));
    }

    private void OnSync(SimEvent.Sync y)
    {
        var node = _nodes[y.To];
        if (!node.Up || y.Commit.Height != node.NextHeight || !Block.TryDecode(y.BlockBytes, out var block, out _)) return;
        if (block!.Hash() != y.Commit.BlockHash) return;
        var set = ValidatorsAt(y.Commit.Height);
        _verifications += y.Commit.Signatures.Count;
        if (y.Commit.Verify(ChainId, y.Commit.Height, block.Hash(), set.PowerByKey(), set.TotalPower) != CommitCheck.Valid) return;
        if (!Application.Accepts(block, node.Chain, node.State, ValidatorsAt, ref _verifications)) return;
        Committed(node, block, y.Commit);
        StartCore(node);
    }

    private void Committed(SimNode node, Block block, Commit commit)
    {
        try
        {
            node.Append(block, commit);
        }
        catch (Exception e) when (e is StateMachineHaltException or InvariantViolationException)
        {
            _violations.Add(new Violation(Property.Validity, $"node {node.Index} committed block {block.Hash()} at height {block.Header.Height}, which its state cannot apply: {e.Message}"));
        }
        if (node.Honest && (ulong)node.Chain.Count == _s.Heights && _reachedTargetAt[node.Index] < 0) _reachedTargetAt[node.Index] = _now;
    }

    private void Fold(ulong value)
    {
        for (var i = 0; i < 8; i++)
        {
            _digest ^= (byte)(value >> (8 * i));
            _digest *= 1099511628211UL;
        }
    }

    private void FoldBytes(byte[] bytes)
    {
        Fold((ulong)bytes.Length);
        foreach (var b in bytes)
        {
            _digest ^= b;
            _digest *= 1099511628211UL;
        }
    }
}
