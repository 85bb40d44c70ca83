using Akka.Actor;
using Akka.Event;
using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Node.Validator;

/// <summary>
/// Gossip and catch-up, as the simulator's node does them (docs/consensus.md), so that a validator that lost
/// messages, or was down, gets back into the height:
/// <list type="bullet">
/// <item>Every <see cref="ValidatorSettings.GossipInterval"/>, a validator whose height has not moved since the last
/// tick resends everything it signed at this height (old rounds too: a re-proposal needs its proof-of-lock
/// prevotes), relays peers' messages of the current and previous round and of its locked and valid rounds, and
/// tells every peer its height (<see cref="ConsensusStatus"/>).</item>
/// <item>A validator that receives a message of a height beyond the next one knows it is behind and tells that
/// sender its height at once (once per sender and height per interval), without waiting for a stuck tick.</item>
/// <item>A validator slow to apply its blocks can fall two heights behind the others; what they send meanwhile is
/// dropped, and nothing more comes for those heights until a gossip tick. So when it starts a height it asks at
/// once: it tells its height to every peer whose message of this height or a later one it dropped (a peer that
/// has decided the height answers with the block), and when it holds votes of this height for a block but not
/// the proposal, it asks that round's proposer for it (<see cref="ProposalWanted"/>: the proposal, or the decided
/// block once the proposer has moved on). A peer that reports a later height than this validator's is told this
/// one's at once as well. (Without this the laggard waited for a precommit timeout and a tick, about half a
/// second, and the whole chain with it when it was the next proposer: the p99 of the devnet bench.)</item>
/// <item>A peer that has committed that height answers with the block and its commit (<see cref="DecidedBlock"/>),
/// and those of the later heights it keeps, at most once per peer and height per interval, for the last
/// <see cref="ValidatorSettings.RecentDecisions"/> heights. The receiver keeps the ones ahead of it, as many, and
/// takes each when it reaches its height: it checks the block and verifies the commit against the height's
/// validator set before it hands the block to the application as decided. A validator further behind than that is
/// block sync's to bring up (the ledger serves old blocks), after which the application reports
/// <see cref="HeightApplied"/>.</item>
/// </list>
/// This resends whole rounds rather than tracking which votes each peer has (CometBFT's peer round state): simple
/// and enough for tens of validators, at the cost of repeated messages while a height is stuck.
/// </summary>
public sealed partial class ValidatorActor
{
    private readonly Dictionary<(IActorRef Peer, ulong Height), long> _answered = [];
    private readonly HashSet<(IActorRef Peer, ulong Height)> _toldBehind = [];
    /// <summary>The highest height of a message from each peer that was dropped for being too far ahead.</summary>
    private readonly Dictionary<IActorRef, ulong> _droppedFrom = [];
    private readonly HashSet<(IActorRef Peer, ulong Height, uint Round)> _proposalsSent = [];
    private readonly SortedDictionary<ulong, DecidedBlock> _decidedAhead = new();
    private ulong _heightAtLastTick;
    private long _tick, _catchUpsSent, _catchUpsTaken, _catchUpsRefused;

    private void OnGossipTick()
    {
        _tick++;
        foreach (var key in _answered.Where(a => a.Value < _tick).Select(a => a.Key).ToList()) _answered.Remove(key);
        _toldBehind.Clear();
        _proposalsSent.Clear();
        if (!_started)
        {
            _settings.Application.Tell(GetLastApplied.Instance, Self);
            return;
        }
        var height = _core.Height;
        if (height == _heightAtLastTick && !_awaitingApply)
        {
            foreach (var m in _gossip.Own) SendToPeers(m);
            foreach (var m in _gossip.RelayFor(_core.Round, _core.LockedRound, _core.ValidRound)) SendToPeers(m);
            var status = new ConsensusStatus(height);
            foreach (var peer in _peers.Values) peer.Tell(status, Self);
        }
        _heightAtLastTick = height;
    }

    private void OnStatus(ConsensusStatus s)
    {
        // A peer further on has decided this validator's height: ask it now rather than at the next tick.
        if (_started && s.Height > _core.Height && !_awaitingApply) TellHeight(Sender);
        foreach (var (height, decided) in _recent)
        {
            if (height < s.Height || !_answered.TryAdd((Sender, height), _tick)) continue;
            _catchUpsSent++;
            Sender.Tell(new DecidedBlock(decided.Block, decided.Commit), Self);
        }
    }

    /// <summary>A message from beyond the next height: this validator is behind, so it asks that sender for what it decided.</summary>
    private void TellBehind()
    {
        if (_started) TellHeight(Sender);
    }

    /// <summary>Tells <paramref name="peer"/> this validator's height, once per peer and height per gossip interval.</summary>
    private void TellHeight(IActorRef peer)
    {
        if (_toldBehind.Add((peer, _core.Height))) peer.Tell(new ConsensusStatus(_core.Height), Self);
    }

    private void NoteDropped(ulong height)
    {
        if (Sender.IsNobody() || Sender.Equals(Self)) return;
        if (!_droppedFrom.TryGetValue(Sender, out var seen) || seen < height) _droppedFrom[Sender] = height;
    }

    /// <summary>At the start of a height, asks for what was dropped of it (see the class remarks).</summary>
    private void AskForWhatWasDropped(IReadOnlyList<IConsensusMessage> early)
    {
        if (!_started || _awaitingApply) return;
        var height = _core.Height;
        foreach (var (peer, seen) in _droppedFrom.ToList())
        {
            if (seen < height)
            {
                _droppedFrom.Remove(peer);
                continue;
            }
            TellHeight(peer);
        }
        var proposed = early.OfType<Proposal>().Select(p => p.Round).ToHashSet();
        foreach (var round in early.OfType<Vote>().Where(v => v.BlockHash != Hash32.Zero).Select(v => v.Round).Distinct())
        {
            if (proposed.Contains(round)) continue;
            var proposer = _core.ProposerOf(round);
            if (proposer != Me && _peers.TryGetValue(proposer, out var peer)) peer.Tell(new ProposalWanted(height, round), Self);
        }
    }

    private void OnDecidedBlock(DecidedBlock d)
    {
        var height = d.Commit.Height;
        if (_started && height > _core.Height && height <= _core.Height + (ulong)_settings.RecentDecisions)
        {
            _decidedAhead[height] = d;
            return;
        }
        if (!_started || _awaitingApply || height != _core.Height)
        {
            _stale++;
            return;
        }
        TakeDecided(d);
    }

    /// <summary>After a height starts: a decided block for it that a peer sent ahead of time decides it at once.</summary>
    private void TakeDecidedAhead()
    {
        foreach (var old in _decidedAhead.Keys.Where(h => h < _core.Height).ToList()) _decidedAhead.Remove(old);
        if (_decidedAhead.Remove(_core.Height, out var d) && !_awaitingApply) TakeDecided(d);
    }

    private void TakeDecided(DecidedBlock d)
    {
        var hash = d.Block.Hash();
        var chainId = _settings.Consensus.ChainId;
        var set = _validators!;
        var valid = d.Block.Header.Height == d.Commit.Height && d.Block.Header.ChainId == chainId && hash == d.Commit.BlockHash &&
            d.Block.Validate().IsValid && d.Commit.Verify(chainId, d.Commit.Height, hash, set.PowerByKey(), set.TotalPower) == CommitCheck.Valid;
        if (!valid)
        {
            _catchUpsRefused++;
            _log.Warning("refused a decided block for height {0}: it does not match its commit or the commit does not verify", d.Commit.Height);
            return;
        }
        _catchUpsTaken++;
        Decide(d.Block, d.Commit);
    }
}
