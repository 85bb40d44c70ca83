using Exchange.Consensus;
using Exchange.Core.Ledger;

namespace Exchange.Simulation;

/// <summary>Something that happens at a virtual time. The queue orders events by (time, sequence number) only.</summary>
internal abstract record SimEvent
{
    private SimEvent() { }

    /// <summary>Bytes from <paramref name="From"/> arrive at <paramref name="To"/>.</summary>
    public sealed record Deliver(int From, int To, byte[] Bytes) : SimEvent;

    /// <summary>A committed block and its commit, sent to a peer that is behind (block sync).</summary>
    public sealed record Sync(int From, int To, byte[] BlockBytes, Commit Commit) : SimEvent;

    /// <summary>"I am at <paramref name="Height"/>": a stuck node's gossip tells its peers, so one that is ahead sends the block (sync).</summary>
    public sealed record Status(int From, int To, ulong Height) : SimEvent;

    public sealed record Timer(int Node, int Incarnation, ulong Height, uint Round, RoundStep Step) : SimEvent;

    /// <summary>The pause after a commit is over: the node starts the next height.</summary>
    public sealed record StartHeight(int Node, int Incarnation, ulong Height) : SimEvent;

    /// <summary>The gossip layer's periodic check: resend this height's messages when the node is stuck.</summary>
    public sealed record GossipTick(int Node, int Incarnation) : SimEvent;

    public sealed record Crash(int Node) : SimEvent;

    public sealed record Restart(int Node) : SimEvent;
}

/// <summary>A priority queue keyed by (virtual time, insertion sequence): events at one time run in the order they were scheduled.</summary>
internal sealed class EventQueue
{
    private readonly PriorityQueue<SimEvent, (long Time, long Seq)> _queue = new();
    private long _seq;

    public int Count => _queue.Count;

    public void Schedule(long time, SimEvent e) => _queue.Enqueue(e, (time, _seq++));

    public bool TryNext(out SimEvent e, out long time, out long seq)
    {
        if (_queue.TryDequeue(out e!, out var key))
        {
            (time, seq) = key;
            return true;
        }
        time = seq = 0;
        return false;
    }
}
