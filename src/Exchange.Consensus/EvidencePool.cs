namespace Exchange.Consensus;

/// <summary>
/// Equivocation evidence waiting to be put in a block. Kept in a sorted set, so every node that saw the
/// same evidence offers it in the same order; bounded, and evidence once committed is never offered again.
/// </summary>
public sealed class EvidencePool
{
    public const int MaxPending = 1_000;

    private readonly SortedSet<DuplicateVoteEvidence> _pending = new();
    private readonly SortedSet<DuplicateVoteEvidence> _committed = new();

    public IReadOnlyList<DuplicateVoteEvidence> Pending => [.. _pending];

    /// <summary>Adds evidence not yet seen or committed; false when it is known or the pool is full.</summary>
    public bool Add(DuplicateVoteEvidence evidence)
    {
        if (_committed.Contains(evidence) || _pending.Count >= MaxPending) return false;
        return _pending.Add(evidence);
    }

    /// <summary>Called when a block carrying <paramref name="included"/> is committed.</summary>
    public void MarkCommitted(IEnumerable<DuplicateVoteEvidence> included)
    {
        foreach (var e in included)
        {
            _pending.Remove(e);
            _committed.Add(e);
        }
    }
}
