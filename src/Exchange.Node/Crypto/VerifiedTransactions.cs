using Exchange.Core.Crypto;

namespace Exchange.Node.Crypto;

/// <summary>
/// Transaction ids whose signatures this process has verified. An id is SHA-256 of the whole encoding, chain id and
/// signature included, so a verified id stays valid forever and for every node in the process: the mempool records
/// what it admitted, and proposal validation skips those instead of verifying them a second time. Bounded; the oldest
/// ids are forgotten first (a forgotten one is simply verified again).
/// </summary>
public sealed class VerifiedTransactions(int capacity)
{
    public static VerifiedTransactions Shared { get; } = new(262_144);

    private readonly object _gate = new();
    private readonly HashSet<Hash32> _ids = [];
    private readonly Queue<Hash32> _order = new();

    public void Add(in Hash32 id)
    {
        lock (_gate)
        {
            if (!_ids.Add(id)) return;
            _order.Enqueue(id);
            if (_order.Count > capacity) _ids.Remove(_order.Dequeue());
        }
    }

    public bool Contains(in Hash32 id)
    {
        lock (_gate) return _ids.Contains(id);
    }
}
