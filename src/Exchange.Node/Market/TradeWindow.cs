using Exchange.Core.Numerics;

namespace Exchange.Node.Market;

/// <summary>
/// Volume, high and low of one instrument's trades over a trailing window of block time, counted in buckets: the
/// figures cover the bucket of the latest block and the ones before it, <c>window / bucket</c> in all, so they reach
/// back between one bucket less than the window and the whole window. Memory is one entry per bucket with trades.
/// </summary>
public sealed class TradeWindow(TimeSpan window, TimeSpan bucket)
{
    private readonly long _bucketMs = (long)bucket.TotalMilliseconds;
    private readonly long _buckets = (long)(window.TotalMilliseconds / bucket.TotalMilliseconds);
    private readonly Queue<Bucket> _queue = new();
    private Bucket? _last;

    private sealed class Bucket(long index)
    {
        public long Index { get; } = index;
        public long Volume;
        public long High = long.MinValue;
        public long Low = long.MaxValue;
    }

    /// <summary>Counts a trade at block time <paramref name="timeMs"/>; times must not go backwards.</summary>
    public void Add(long timeMs, Price price, Quantity quantity)
    {
        var index = BucketOf(timeMs);
        if (_last is { } l && l.Index > index) throw new ArgumentOutOfRangeException(nameof(timeMs), timeMs, "trades must come in block-time order");
        if (_last is null || _last.Index < index) _queue.Enqueue(_last = new Bucket(index));
        var last = _last;
        last.Volume = checked(last.Volume + quantity.Raw);
        last.High = Math.Max(last.High, price.Raw);
        last.Low = Math.Min(last.Low, price.Raw);
    }

    /// <summary>Volume, high and low of the window ending at block time <paramref name="nowMs"/>; high and low are null without trades.</summary>
    public (Quantity Volume, Price? High, Price? Low) At(long nowMs)
    {
        var current = BucketOf(nowMs);
        while (_queue.Count > 0 && _queue.Peek().Index <= current - _buckets) _queue.Dequeue();
        if (_queue.Count == 0) _last = null;
        long volume = 0, high = long.MinValue, low = long.MaxValue;
        foreach (var b in _queue)
        {
            volume = checked(volume + b.Volume);
            high = Math.Max(high, b.High);
            low = Math.Min(low, b.Low);
        }
        return _queue.Count == 0 ? (Quantity.Zero, null, null) : (new Quantity(volume), new Price(high), new Price(low));
    }

    private long BucketOf(long timeMs) => Math.DivRem(timeMs, _bucketMs, out var rem) - (rem < 0 ? 1 : 0);
}
