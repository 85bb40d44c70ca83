namespace Exchange.Node.Ledger;

/// <summary>The newest committed blocks, consecutive by height, so block sync near the tip never reads the journal.</summary>
internal sealed class RecentBlocks(int capacity)
{
    private readonly Queue<BlockCommitted> _blocks = new(capacity);

    /// <summary>Adds the next block; a gap (after a snapshot was restored, say) starts the window afresh.</summary>
    public void Add(BlockCommitted block)
    {
        if (_blocks.Count > 0 && block.Height != Newest + 1) _blocks.Clear();
        if (_blocks.Count == capacity) _blocks.Dequeue();
        _blocks.Enqueue(block);
    }

    private ulong Oldest => _blocks.Peek().Height;
    private ulong Newest => Oldest + (ulong)_blocks.Count - 1;

    /// <summary>The blocks <paramref name="from"/> to <paramref name="to"/> when all of them are held.</summary>
    public bool TryGet(ulong from, ulong to, out IReadOnlyList<BlockCommitted> blocks)
    {
        if (_blocks.Count == 0 || from < Oldest || to > Newest || from > to)
        {
            blocks = [];
            return false;
        }
        blocks = [.. _blocks.Skip((int)(from - Oldest)).Take((int)(to - from + 1))];
        return true;
    }
}
