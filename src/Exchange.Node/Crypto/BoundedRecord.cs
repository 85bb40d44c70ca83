using System.Runtime.InteropServices;

namespace Exchange.Node.Crypto;

/// <summary>
/// A map that keeps at most <c>capacity</c> keys and forgets the oldest first: the shape of a node's records of what
/// it has already verified, where a forgotten entry only costs a second check. Safe to share between threads.
/// </summary>
internal sealed class BoundedRecord<TKey, TValue>(int capacity) where TKey : notnull
{
    private readonly object _gate = new();
    // Sized for the whole record at once: grown by doubling as it fills, each step copied both into large-object
    // arrays, and a node's record of verified transactions fills within seconds of load.
    private readonly Dictionary<TKey, TValue> _byKey = new(capacity + 1);
    private readonly Queue<TKey> _order = new(capacity + 1);

    /// <summary>Adds <paramref name="key"/> with <paramref name="value"/>; a key already kept gets <c>merge(kept, value)</c> and keeps its age.</summary>
    public void Add(TKey key, TValue value, Func<TValue, TValue, TValue>? merge = null)
    {
        lock (_gate)
        {
            // One lookup finds the key or makes its entry: the mempool records every admitted transaction here.
            ref var kept = ref CollectionsMarshal.GetValueRefOrAddDefault(_byKey, key, out var exists);
            if (exists)
            {
                if (merge is not null) kept = merge(kept!, value);
                return;
            }
            kept = value;
            _order.Enqueue(key);
            if (_order.Count > capacity) _byKey.Remove(_order.Dequeue());
        }
    }

    /// <summary>
    /// Forgets <paramref name="keys"/> before their turn, under one lock. Their places in the age order stay until then
    /// (a few bytes each), so the record may hold fewer than <c>capacity</c> keys for a while.
    /// </summary>
    public void Remove(IEnumerable<TKey> keys)
    {
        lock (_gate)
            foreach (var key in keys) _byKey.Remove(key);
    }

    public bool Contains(TKey key)
    {
        lock (_gate) return _byKey.ContainsKey(key);
    }

    /// <summary>The value kept for <paramref name="key"/>, or the default when it is not (or no longer) kept.</summary>
    public TValue? Find(TKey key)
    {
        lock (_gate) return _byKey.GetValueOrDefault(key);
    }
}
