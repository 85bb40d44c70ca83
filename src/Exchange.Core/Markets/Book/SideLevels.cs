namespace Exchange.Core.Markets.Book;

/// <summary>
/// The price levels of one side, as level indices sorted by a key that grows toward the best price
/// (the price for bids, its negation for asks). The best level is last, so consuming it is a pop;
/// other inserts and removals shift a short array instead of re-sorting anything.
/// </summary>
internal sealed class SideLevels
{
    private long[] _keys = new long[64];
    private int[] _levels = new int[64];

    public int Count { get; private set; }

    public int Best => _levels[Count - 1];
    public long BestKey => _keys[Count - 1];

    /// <summary>The level at position <paramref name="i"/> counted from the best (0 = best).</summary>
    public int FromBest(int i) => _levels[Count - 1 - i];

    /// <summary>Position of the key, or the bitwise complement of where it would go.</summary>
    public int Find(long key)
    {
        // Most traffic is at or next to the best price: look there before searching.
        if (Count > 0 && _keys[Count - 1] == key) return Count - 1;
        int lo = 0, hi = Count - 1;
        while (lo <= hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            var k = _keys[mid];
            if (k == key) return mid;
            if (k < key) lo = mid + 1;
            else hi = mid - 1;
        }
        return ~lo;
    }

    public int LevelAt(int position) => _levels[position];

    public void Insert(int position, long key, int level)
    {
        if (Count == _keys.Length)
        {
            Array.Resize(ref _keys, Count * 2);
            Array.Resize(ref _levels, Count * 2);
        }
        if (position < Count)
        {
            Array.Copy(_keys, position, _keys, position + 1, Count - position);
            Array.Copy(_levels, position, _levels, position + 1, Count - position);
        }
        _keys[position] = key;
        _levels[position] = level;
        Count++;
    }

    public void RemoveAt(int position)
    {
        Count--;
        if (position < Count)
        {
            Array.Copy(_keys, position + 1, _keys, position, Count - position);
            Array.Copy(_levels, position + 1, _levels, position, Count - position);
        }
    }

    public long KeyAt(int position) => _keys[position];
}
