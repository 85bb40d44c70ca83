using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Core.State;

/// <summary>
/// A binary Merkle tree over a growing array of leaf hashes that keeps every inner node, so a
/// block that changes k leaves rehashes only their paths (about k·log n nodes) instead of the whole
/// tree. The tree is padded to a power of two with zero hashes; nodes are hashed as in RFC 6962
/// (0x01 prefix) so a leaf never passes for a node.
/// </summary>
public sealed class IncrementalMerkle
{
    private Hash32[][] _levels = [new Hash32[1]];
    private readonly List<int> _dirty = [];
    private int _count;

    public int Count => _count;

    public void Set(int index, Hash32 leaf)
    {
        if (index >= _levels[0].Length) Grow(index + 1);
        if (index >= _count) _count = index + 1;
        _levels[0][index] = leaf;
        _dirty.Add(index);
    }

    public Hash32 Root()
    {
        if (_dirty.Count > 0) Recompute();
        return _levels[^1][0];
    }

    private void Recompute()
    {
        _dirty.Sort();
        var current = _dirty;
        var next = new List<int>(current.Count);
        for (var level = 0; level < _levels.Length - 1; level++)
        {
            next.Clear();
            var last = -1;
            foreach (var i in current)
            {
                var parent = i >> 1;
                if (parent == last) continue;
                last = parent;
                _levels[level + 1][parent] = MerkleTree.NodeHash(_levels[level][parent * 2], _levels[level][parent * 2 + 1]);
                next.Add(parent);
            }
            (current, next) = (next, current);
        }
        _dirty.Clear();
    }

    private void Grow(int needed)
    {
        var capacity = _levels[0].Length;
        while (capacity < needed) capacity *= 2;
        var leaves = new Hash32[capacity];
        Array.Copy(_levels[0], leaves, _levels[0].Length);
        var levels = new List<Hash32[]> { leaves };
        for (var size = capacity / 2; size >= 1; size /= 2) levels.Add(new Hash32[size]);
        _levels = [.. levels];
        // Every inner node is rebuilt once after growth.
        _dirty.Clear();
        for (var i = 0; i < capacity; i += 2) _dirty.Add(i);
    }
}
