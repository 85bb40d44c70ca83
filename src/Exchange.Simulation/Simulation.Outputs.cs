using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Simulation;

/// <summary>Feeding a node's core and carrying out what it asks for, with the Byzantine behaviours applied to what it sends.</summary>
public sealed partial class Simulation
{
    /// <summary>Drops the core makes before it checks a signature; every other consensus message costs it one verification.</summary>
    private static long DroppedBeforeVerify(ConsensusCore core) =>
        core.DroppedCount(DropReason.NotStarted) + core.DroppedCount(DropReason.InvalidMessage) + core.DroppedCount(DropReason.WrongHeight) +
        core.DroppedCount(DropReason.UnknownValidator) + core.DroppedCount(DropReason.RoundTooFarAhead) + core.DroppedCount(DropReason.NotProposer) +
        core.DroppedCount(DropReason.Duplicate);

    /// <summary>Hands <paramref name="input"/> to the node's core, then the application's answers, in order.</summary>
    private void Feed(SimNode node, ConsensusInput input)
    {
        var work = new Queue<ConsensusInput>();
        work.Enqueue(input);
        while (work.TryDequeue(out var next) && node.Up)
        {
            var core = node.Core!;
            var before = DroppedBeforeVerify(core);
            var badBefore = core.DroppedCount(DropReason.BadSignature);
            var outputs = core.Handle(next);
            var checkedMessages = (next is ConsensusInput.ProposalReceived or ConsensusInput.VoteReceived ? 1 : 0) + outputs.Count(o => o is ConsensusOutput.Broadcast);
            var droppedEarly = DroppedBeforeVerify(core) - before;
            _verifications += checkedMessages - droppedEarly;
            var passed = droppedEarly == 0 && core.DroppedCount(DropReason.BadSignature) == badBefore;
            if (passed && next is ConsensusInput.ProposalReceived { Proposal: var proposal })
            {
                Remember(node, proposal);
                Accept(node, new Offence(proposal.Proposer, proposal.Height, proposal.Round, OffenceStep.Propose), proposal.BlockHash, proposal.PolRound);
            }
            if (passed && next is ConsensusInput.VoteReceived { Vote: var vote })
            {
                Remember(node, vote);
                Accept(node, new Offence(vote.Validator, vote.Height, vote.Round, Offence.StepOf(vote.Type)), vote.BlockHash, 0);
            }
            foreach (var output in outputs) Route(node, output, work);
        }
    }

    /// <summary>
    /// Notes, at an honest machine, a value its core took in past the signature check. A second value for one slot is an
    /// equivocation the core must turn into evidence; at the scenario's heights, one every honest machine must slash.
    /// </summary>
    private void Accept(SimNode node, Offence slot, Hash32 blockHash, int polRound)
    {
        if (!node.Honest) return;
        if (!node.Accepted.TryGetValue(slot, out var values)) node.Accepted[slot] = values = new SortedSet<(Hash32, int)>();
        if (values.Add((blockHash, polRound)) && values.Count == 2 && slot.Height <= _s.Heights) _required.Add(slot);
    }

    /// <summary>Keeps a peer's message that passed the core's checks, once, for relaying while the height is stuck.</summary>
    private static void Remember(SimNode node, IConsensusMessage message)
    {
        var bytes = Wire.Encode(message);
        if (node.Relayed.Add(Hash32.Compute(bytes))) node.Relay.Add((message.Round, bytes));
    }

    private void Route(SimNode node, ConsensusOutput output, Queue<ConsensusInput> work)
    {
        switch (output)
        {
            case ConsensusOutput.Broadcast b:
                SendToPeers(node, b.Message);
                break;
            case ConsensusOutput.ScheduleTimeout t:
                _queue.Schedule(_now + t.DurationMs, new SimEvent.Timer(node.Index, node.Incarnation, t.Height, t.Round, t.Step));
                break;
            case ConsensusOutput.RequestPayload p:
                work.Enqueue(new ConsensusInput.PayloadReady(p.Height, p.Round, BuildBlock(node, p)));
                break;
            case ConsensusOutput.ValidateBlock v:
                work.Enqueue(new ConsensusInput.BlockValidated(v.Block.Hash(), Application.Accepts(v.Block, node.Chain, node.State, ValidatorsAt, ref _verifications)));
                break;
            case ConsensusOutput.CommitBlock c:
                if (c.Block.Header.Height != node.NextHeight) break;
                Committed(node, c.Block, c.Commit);
                _queue.Schedule(_now + _s.BlockIntervalMs, new SimEvent.StartHeight(node.Index, node.Incarnation, node.NextHeight));
                break;
            case ConsensusOutput.EvidenceFound e:
                OnEvidence(node, e.Evidence);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(output), output, "unknown consensus output");
        }
    }

    /// <summary>
    /// getValue(): the application's block with a few client transfers and the offered evidence its state admits, or for
    /// an invalid-block proposer one with a wrong app hash.
    /// </summary>
    private Block BuildBlock(SimNode node, ConsensusOutput.RequestPayload p)
    {
        if (node.Honest)
            foreach (var found in node.EvidenceFound)
                if (!node.State.IsSlashed(found.Offence) && !p.Evidence.Any(e => e.Offence == found.Offence))
                    _violations.Add(new Violation(Property.Evidence, $"node {node.Index} found evidence of the {found.Offence} but did not offer it when proposing at height {p.Height}"));
        Hash32? appHash = null;
        if (node.Behaviour == Behaviour.InvalidBlocks)
        {
            appHash = RandomHash();
            Count(FaultKind.InvalidBlock);
        }
        var block = Application.Build(node.State, p.Height, p.Round, Application.BlockTime(node.State, _now), p.LastCommit, ValidatorsAt(p.Height),
            node.Key.PublicKey, Application.Transfers(node.State, _rng), Application.Admissible(node.State, p.Evidence), appHash);
        if (appHash is not null) _poisoned.Add(block.Hash());
        return block;
    }

    private Hash32 RandomHash()
    {
        var bytes = new byte[32];
        for (var i = 0; i < 4; i++) BitConverter.TryWriteBytes(bytes.AsSpan(8 * i), _rng.NextUInt64());
        return new Hash32(bytes);
    }

    /// <summary>Evidence the node's core found: stored, gossiped to every peer, and at an honest machine checked to verify and to accuse a machine that is not honest.</summary>
    private void OnEvidence(SimNode node, EquivocationEvidence evidence)
    {
        node.EvidenceFound.Add(evidence);
        node.EvidenceFor.Add(evidence.Offence);
        node.EvidenceStore.TryAdd(evidence.Offence, evidence);
        SendEvidence(node, evidence);
        if (!node.Honest) return;
        if (evidence.Verify(ChainId) is { IsValid: false } check)
            _violations.Add(new Violation(Property.Evidence, $"node {node.Index} produced evidence that does not verify, against {evidence.Offender}: {check}"));
        if (_nodes.Any(n => n.Key.PublicKey == evidence.Offender && n.Honest))
            _violations.Add(new Violation(Property.Evidence, $"node {node.Index} accused honest validator {evidence.Offender} at height {evidence.Height}"));
    }

    /// <summary>Evidence gossip: to every peer, unless the machine is silent. Not part of the write-ahead log; the store and each gossip tick resend it.</summary>
    private void SendEvidence(SimNode node, EquivocationEvidence evidence)
    {
        if (node.Behaviour == Behaviour.Silent) return;
        var bytes = Wire.EncodeEvidence(evidence);
        for (var to = 0; to < _nodes.Length; to++)
            if (to != node.Index) Send(node.Index, to, bytes);
    }

    /// <summary>Sends a message the core broadcast to every peer, through this machine's behaviour.</summary>
    private void SendToPeers(SimNode node, IConsensusMessage message)
    {
        if (node.Behaviour == Behaviour.Silent)
        {
            Count(FaultKind.SilencedMessage);
            return;
        }
        var bytes = Wire.Encode(message);
        byte[]? second = null;
        if (node.Behaviour == Behaviour.EquivocateProposals && message is Proposal p)
        {
            var other = p.Block with { Header = p.Block.Header with { TimeUnixMs = p.Block.Header.TimeUnixMs + 1 } };
            var unsigned = p with { Block = other, Signature = Signature.Empty };
            second = Wire.Encode(unsigned with { Signature = node.Key.Sign(unsigned.SigningHash(ChainId), Aux) });
            Count(FaultKind.EquivocatingProposal);
        }
        else if (node.Behaviour == Behaviour.DoubleVote && message is Vote v)
        {
            var conflicting = v with { BlockHash = v.IsNil ? RandomHash() : Hash32.Zero, Extension = null, Signature = Signature.Empty };
            second = Wire.Encode(conflicting with { Signature = node.Key.Sign(conflicting.SigningHash(ChainId), Aux) });
            Count(FaultKind.DoubleVote);
        }
        for (var to = 0; to < _nodes.Length; to++)
        {
            if (to == node.Index) continue;
            var out1 = bytes;
            if (second is not null)
            {
                // Equivocating proposals split the peers, and about one peer in four gets the other one too (and can prove
                // the equivocation); a double vote goes to every peer after the first, to about half.
                if (node.Behaviour == Behaviour.EquivocateProposals)
                {
                    var both = _rng.Chance(250);
                    if (_rng.Chance(500)) out1 = second;
                    if (both) Record(node, to, out1 == second ? bytes : second);
                }
                else if (node.Behaviour == Behaviour.DoubleVote && _rng.Chance(500)) Record(node, to, second);
            }
            if (node.Behaviour == Behaviour.Garbage && _rng.Chance(500))
            {
                out1 = Corrupt(out1);
                Count(FaultKind.GarbageMessage);
            }
            Record(node, to, out1);
        }
    }

    private void Record(SimNode node, int to, byte[] bytes)
    {
        node.Sent.Add((to, bytes));
        Send(node.Index, to, bytes);
    }

    /// <summary>Flips a few bytes, cuts the message short, or replaces it with random bytes.</summary>
    private byte[] Corrupt(byte[] bytes)
    {
        switch (_rng.Next(3))
        {
            case 0:
                var flipped = (byte[])bytes.Clone();
                for (var i = _rng.Next(3); i >= 0; i--) flipped[_rng.Next(flipped.Length)] ^= (byte)(1 + _rng.Next(255));
                return flipped;
            case 1:
                return bytes[..(_rng.Next(bytes.Length))];
            default:
                var noise = new byte[1 + _rng.Next(200)];
                for (var i = 0; i < noise.Length; i++) noise[i] = (byte)_rng.Next(256);
                return noise;
        }
    }

    /// <summary>One message on one link: blocked by a partition, dropped, delayed, reordered (extra delay) or duplicated, as the profile draws.</summary>
    private void Send(int from, int to, byte[] bytes)
    {
        _messages++;
        if (!Links.CanReach(_s, from, to, _now)) return;
        var net = _s.Network;
        if (_rng.Chance(net.DropPerMille))
        {
            Count(FaultKind.Drop);
            return;
        }
        _queue.Schedule(_now + Delay(net), new SimEvent.Deliver(from, to, bytes));
        if (_rng.Chance(net.DuplicatePerMille))
        {
            Count(FaultKind.Duplicate);
            _queue.Schedule(_now + Delay(net), new SimEvent.Deliver(from, to, bytes));
        }
    }

    private long Delay(NetworkProfile net)
    {
        var delay = net.MaxDelayMs == net.MinDelayMs ? net.MinDelayMs : _rng.Between(net.MinDelayMs, net.MaxDelayMs);
        if (_rng.Chance(net.ReorderPerMille))
        {
            Count(FaultKind.Reorder);
            delay += _rng.Between(1, net.ReorderExtraMs);
        }
        return delay;
    }
}
