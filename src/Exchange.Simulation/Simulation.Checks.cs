using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.State;

namespace Exchange.Simulation;

/// <summary>
/// The checks after every run, over honest machines only (those that follow the protocol and are the only
/// holder of their key):
/// <list type="bullet">
/// <item>Agreement: no two honest machines committed different blocks at one height.</item>
/// <item>Validity: every block an honest machine committed is one the application accepts on top of that
/// machine's chain (replayed from genesis), and none is a block a Byzantine proposer built invalid.</item>
/// <item>Liveness: every honest machine committed the scenario's heights by <see cref="Scenario.HealMs"/> plus
/// <see cref="Scenario.LivenessBoundMs"/>.</item>
/// <item>Evidence: within each life of an honest machine (between restarts), whenever its core took in two votes
/// of one validator for one height, round and type with different block hashes, or two proposals of one proposer
/// for one height and round that differ, the core emitted evidence for that offence (or already held evidence for it,
/// gossiped by a peer or committed in a block); every piece of evidence an
/// honest machine emits verifies and accuses a validator that is not honest; every piece it found and its state
/// has not slashed is in the evidence it is given to propose with; and every such equivocation at the scenario's
/// heights is, by the end of the run (the heal plus <see cref="Scenario.LivenessBoundMs"/>), committed in a block
/// and slashed in every honest machine's state: the offender's stake is its genesis stake less the slash fraction
/// once per offence slashed, and no honest validator's stake is touched.</item>
/// </list>
/// </summary>
public sealed partial class Simulation
{
    private void CheckEvidence(SimNode node)
    {
        if (!node.Up || !node.Honest) return;
        foreach (var (offence, values) in node.Accepted)
        {
            if (values.Count < 2) continue;
            _equivocationsSeen++;
            // Evidence a peer gossiped first, or that a block already carried, is evidence the core holds for the offence.
            var held = node.EvidenceFor.Contains(offence) || node.Core!.Evidence.IsPending(offence) || node.State.IsSlashed(offence);
            if (!held)
                _violations.Add(new Violation(Property.Evidence, $"node {node.Index} took in {values.Count} different messages for the {offence} and found no evidence"));
        }
    }

    /// <summary>Every required equivocation slashed on every honest machine, by exactly the fraction per offence, and no honest validator slashed.</summary>
    private void CheckSlashing(List<SimNode> honest)
    {
        var honestKeys = honest.Select(n => n.Key.PublicKey).ToHashSet();
        foreach (var node in honest)
        {
            foreach (var offence in _required)
                if (!node.State.IsSlashed(offence))
                    _violations.Add(new Violation(Property.Evidence, $"node {node.Index} has not slashed the {offence} by {_now} ms (heal at {_s.HealMs} ms, bound {_s.LivenessBoundMs} ms){Where(node)}"));
            foreach (var (key, genesisStake) in _genesis.Validators)
            {
                var offences = node.State.SlashedOffences.Count(o => o.Validator == key);
                if (offences > 0 && honestKeys.Contains(key))
                    _violations.Add(new Violation(Property.Evidence, $"node {node.Index} slashed honest validator {key}"));
                var expected = genesisStake.Raw;
                for (var i = 0; i < offences; i++) expected -= (long)((Int128)expected * _genesis.Risk.SlashFractionBps / 10_000);
                node.State.TryGetAccount(key, out var account);
                if (account.Stake != expected)
                    _violations.Add(new Violation(Property.Evidence, $"node {node.Index}: validator {key} has stake {account.Stake} after {offences} offences, expected {expected}"));
            }
        }
    }

    private SimulationResult Finish()
    {
        var honest = _nodes.Where(n => n.Honest).ToList();
        CheckAgreement(honest);
        CheckValidity(honest);
        CheckSlashing(honest);
        long recovery = 0;
        foreach (var node in honest)
        {
            if ((ulong)node.Chain.Count < _s.Heights)
            {
                _violations.Add(new Violation(Property.Liveness,
                    $"node {node.Index} committed {node.Chain.Count} of {_s.Heights} heights by {_now} ms (heal at {_s.HealMs} ms, bound {_s.LivenessBoundMs} ms){Where(node)}"));
                recovery = Math.Max(recovery, _now - _s.HealMs);
            }
            else recovery = Math.Max(recovery, _reachedTargetAt[node.Index] - _s.HealMs);
        }
        var longest = _nodes.OrderByDescending(n => n.Chain.Count).ThenBy(n => n.Index).First();
        var longestHonest = honest.OrderByDescending(n => n.Chain.Count).ThenBy(n => n.Index).FirstOrDefault();
        return new SimulationResult(_s, [.. _nodes.Select(n => (ulong)n.Chain.Count)], _violations, _faults, Math.Max(0, recovery), _now, _events, _messages,
            _verifications, _equivocationsSeen, _digest, [.. longest.Chain.Select(c => c.Block.Hash())])
        {
            MinHonestHeight = honest.Count == 0 ? 0 : honest.Min(n => (ulong)n.Chain.Count),
            Undecodable = _undecodable,
            EvidenceRequired = _required.Count,
            EvidenceSlashed = _required.Count(o => honest.All(n => n.State.IsSlashed(o))),
            OffencesSlashed = longestHonest?.State.SlashedOffences.Count ?? 0,
            Transactions = longestHonest?.Chain.Sum(c => c.Block.Transactions.Count) ?? 0,
            Extensions = longestHonest?.Chain.Sum(c => c.Block.LastCommit.Observations().Count) ?? 0,
        };
    }

    private static string Where(SimNode node) =>
        node.Core is { } c ? $", its core at height {c.Height} round {c.Round} step {c.Step}{(c.Decided ? " decided" : "")}, dropped [{string.Join(", ", c.Dropped.Select(d => $"{d.Key} {d.Value}"))}]" : ", down";

    private void CheckAgreement(List<SimNode> honest)
    {
        var max = honest.Count == 0 ? 0 : honest.Max(n => n.Chain.Count);
        for (var h = 0; h < max; h++)
        {
            SimNode? first = null;
            foreach (var node in honest)
            {
                if (node.Chain.Count <= h) continue;
                if (first is null) first = node;
                else if (node.Chain[h].Block.Hash() != first.Chain[h].Block.Hash())
                {
                    _violations.Add(new Violation(Property.Agreement,
                        $"height {h + 1}: node {first.Index} committed {first.Chain[h].Block.Hash()} and node {node.Index} committed {node.Chain[h].Block.Hash()}"));
                    break;
                }
            }
        }
    }

    /// <summary>Replays each distinct honest chain through the application from genesis; chains that are a prefix of one already replayed are skipped.</summary>
    private void CheckValidity(List<SimNode> honest)
    {
        var replayed = new List<List<(Block Block, Commit Commit)>>();
        foreach (var node in honest.OrderByDescending(n => n.Chain.Count).ThenBy(n => n.Index))
        {
            if (replayed.Any(r => IsPrefix(node.Chain, r))) continue;
            replayed.Add(node.Chain);
            var chain = new List<(Block, Commit)>();
            var state = ExchangeState.FromGenesis(_genesis);
            long ignored = 0;
            foreach (var (block, commit) in node.Chain)
            {
                if (_poisoned.Contains(block.Hash()) || !Application.Accepts(block, chain, state, ValidatorsAt, ref ignored))
                {
                    _violations.Add(new Violation(Property.Validity, $"node {node.Index} committed block {block.Hash()} at height {block.Header.Height}, which the application rejects"));
                    break;
                }
                chain.Add((block, commit));
                state.Apply(block);
            }
            if (chain.Count == node.Chain.Count && state.AppHash != node.State.AppHash)
                _violations.Add(new Violation(Property.Validity, $"node {node.Index}'s state hashes to {node.State.AppHash}, its chain replayed from genesis to {state.AppHash}"));
        }
    }

    private static bool IsPrefix(List<(Block Block, Commit Commit)> shorter, List<(Block Block, Commit Commit)> longer)
    {
        if (shorter.Count > longer.Count) return false;
        for (var i = 0; i < shorter.Count; i++)
            if (shorter[i].Block.Hash() != longer[i].Block.Hash()) return false;
        return true;
    }
}
