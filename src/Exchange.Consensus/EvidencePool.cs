using Exchange.Core.Ledger;

namespace Exchange.Consensus;

/// <summary>
/// Equivocation evidence waiting to be put in a block, one piece per <see cref="Offence"/> (a validator that signed
/// three different votes at one step committed one offence). Kept sorted by offence, so every node that saw the same
/// offences offers them in the same order, oldest height first.
/// <para>Denial-of-service limits: at most <see cref="MaxPending"/> pieces wait; offences committed are remembered
/// only while their evidence could still be included, <see cref="Prune"/> forgets the rest, and no more than
/// <see cref="MaxCommittedKept"/> are remembered at all.</para>
/// </summary>
public sealed class EvidencePool
{
    public const int MaxPending = 1_000;
    public const int MaxCommittedKept = 10_000;

    private readonly SortedDictionary<Offence, EquivocationEvidence> _pending = new();
    private readonly SortedSet<Offence> _committed = new();

    /// <summary>Pending evidence in offence order.</summary>
    public IReadOnlyList<EquivocationEvidence> Pending => [.. _pending.Values];

    /// <summary>The first <paramref name="max"/> pending pieces in offence order: what a proposer offers.</summary>
    public IReadOnlyList<EquivocationEvidence> Take(int max) => [.. _pending.Values.Take(max)];

    public bool IsPending(Offence offence) => _pending.ContainsKey(offence);

    /// <summary>Whether the offence is pending or was committed: further evidence for it is not needed, and not worth a signature check.</summary>
    public bool Knows(Offence offence) => _pending.ContainsKey(offence) || _committed.Contains(offence);

    /// <summary>Adds evidence for an offence neither pending nor committed; false when it is known or the pool is full.</summary>
    public bool Add(EquivocationEvidence evidence)
    {
        var offence = evidence.Offence;
        if (_committed.Contains(offence) || _pending.ContainsKey(offence) || _pending.Count >= MaxPending) return false;
        _pending.Add(offence, evidence);
        return true;
    }

    /// <summary>Called when a block carrying <paramref name="included"/> is committed: those offences are never offered again.</summary>
    public void MarkCommitted(IEnumerable<EquivocationEvidence> included)
    {
        foreach (var e in included)
        {
            var offence = e.Offence;
            _pending.Remove(offence);
            _committed.Add(offence);
        }
        while (_committed.Count > MaxCommittedKept) _committed.Remove(_committed.Min);
    }

    /// <summary>Forgets offences below <paramref name="oldestHeight"/>: a block at the current height would refuse their evidence as expired.</summary>
    public void Prune(ulong oldestHeight)
    {
        while (_pending.Count > 0 && _pending.First().Key.Height < oldestHeight) _pending.Remove(_pending.First().Key);
        while (_committed.Count > 0 && _committed.Min.Height < oldestHeight) _committed.Remove(_committed.Min);
    }
}
