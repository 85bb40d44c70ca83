using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

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
/// of one validator for one height, round and type with different block hashes, the core emitted evidence for
/// that (validator, height, round, type); every piece of evidence an honest machine emits verifies and accuses a
/// validator that is not honest; and every piece it found was in the evidence it was given to propose with at
/// each later proposal of that life (the block format has no evidence field yet, so "committed" is checked up to
/// the proposer's request). Equivocating proposals are not slashable in Tendermint and yield no evidence; what
/// they must not break is agreement.</item>
/// </list>
/// </summary>
public sealed partial class Simulation
{
    private void CheckEvidence(SimNode node)
    {
        if (!node.Up || !node.Honest) return;
        foreach (var (key, hashes) in node.AcceptedVotes)
        {
            if (hashes.Count < 2) continue;
            _equivocationsSeen++;
            if (!node.EvidenceFor.Contains(key))
                _violations.Add(new Violation(Property.Evidence, $"node {node.Index} took in {hashes.Count} different {key.Type} votes of {key.Validator} at height {key.Height} round {key.Round} and found no evidence"));
        }
    }

    private SimulationResult Finish()
    {
        var honest = _nodes.Where(n => n.Honest).ToList();
        CheckAgreement(honest);
        CheckValidity(honest);
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
        return new SimulationResult(_s, [.. _nodes.Select(n => (ulong)n.Chain.Count)], _violations, _faults, Math.Max(0, recovery), _now, _events, _messages,
            _verifications, _equivocationsSeen, _digest, [.. longest.Chain.Select(c => c.Block.Hash())])
        {
            MinHonestHeight = honest.Count == 0 ? 0 : honest.Min(n => (ulong)n.Chain.Count),
            Undecodable = _undecodable,
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
            long ignored = 0;
            foreach (var (block, commit) in node.Chain)
            {
                if (_poisoned.Contains(block.Hash()) || !Application.Accepts(block, chain, ValidatorsAt, ref ignored))
                {
                    _violations.Add(new Violation(Property.Validity, $"node {node.Index} committed block {block.Hash()} at height {block.Header.Height}, which the application rejects"));
                    break;
                }
                chain.Add((block, commit));
            }
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
