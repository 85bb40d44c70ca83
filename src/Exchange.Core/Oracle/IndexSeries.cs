using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;
using Exchange.Core.Numerics;

namespace Exchange.Core.Oracle;

/// <summary>
/// One grid cell's sample: the last update in the cell and the exact time-weighted sum of the index over
/// the part of the cell the series covers, assuming <see cref="Price"/> holds until the cell ends (a later
/// update in the same cell corrects the sum). Cell k covers the block times (k·G − G, k·G].
/// </summary>
internal record struct Sample(long TimeMs, Price Price, Int128 Sum);

/// <summary>
/// The history of one underlying's index: the latest implied vol and update height, and a bounded run of
/// per-cell samples from which any grid-aligned window's time-weighted average is exact.
/// Invariants: at least one sample; samples in strictly increasing cells; the newest sample is the last
/// update; <see cref="Truncated"/> only once samples were dropped, and then the count is at the limit.
/// </summary>
internal sealed class IndexSeries
{
    private readonly List<Sample> _samples;

    public string Underlying { get; }
    public long LastVol { get; private set; }
    public ulong LastUpdateHeight { get; private set; }

    /// <summary>The block time of the very first update: before it, no price was ever in force.</summary>
    public long FirstUpdateMs { get; }

    /// <summary>True once the oldest samples were dropped: windows starting before the oldest kept cell's end cannot be answered.</summary>
    public bool Truncated { get; private set; }

    public IReadOnlyList<Sample> Samples => _samples;
    /// <summary>Samples are hashed in chunks of this many grid cells, numbered by absolute cell, so a chunk's hash survives appends and truncation.</summary>
    private const long CellsPerChunk = 64;
    private readonly SortedDictionary<long, Hash32> _chunkHashes = [];
    private readonly SortedSet<long> _dirtyChunks = [];
    private bool _allChunksDirty = true;

    public Price LastPrice => _samples[^1].Price;
    public long LastUpdateMs => _samples[^1].TimeMs;

    internal IndexSeries(string underlying, long lastVol, ulong lastUpdateHeight, long firstUpdateMs, bool truncated, List<Sample> samples)
    {
        Underlying = underlying;
        LastVol = lastVol;
        LastUpdateHeight = lastUpdateHeight;
        FirstUpdateMs = firstUpdateMs;
        Truncated = truncated;
        _samples = samples;
    }

    /// <summary>A series whose first update is (<paramref name="timeMs"/>, <paramref name="price"/>): nothing was in force before it, so the cell's sum starts there.</summary>
    public static IndexSeries Start(string underlying, long timeMs, Price price, long vol, ulong height, long gridMs)
    {
        var cellEnd = CellOf(timeMs, gridMs) * gridMs;
        return new IndexSeries(underlying, vol, height, timeMs, false, [new Sample(timeMs, price, (Int128)price.Raw * (cellEnd - timeMs))]);
    }

    /// <summary>The cell holding block time t: ⌈t / G⌉, so a time on the grid closes its cell.</summary>
    public static long CellOf(long timeMs, long gridMs) => FixedPoint.DivCeil(timeMs, gridMs);

    /// <summary>Records an update at a block time not before the last one, then drops the oldest sample if over the limit.</summary>
    public void Record(long timeMs, Price price, long vol, ulong height, OracleParameters parameters)
    {
        var g = parameters.SampleGridMs;
        var cell = CellOf(timeMs, g);
        var last = _samples[^1];
        var lastCell = CellOf(last.TimeMs, g);
        if (timeMs < last.TimeMs) throw new InvalidOperationException($"{Underlying}: update at {timeMs} precedes the last at {last.TimeMs}");
        if (cell == lastCell)
        {
            // The old price now holds only until this update; the new one holds to the cell's end.
            var sum = last.Sum + (Int128)(price.Raw - last.Price.Raw) * (cell * g - timeMs);
            _samples[^1] = new Sample(timeMs, price, sum);
            _dirtyChunks.Add(cell / CellsPerChunk);
        }
        else
        {
            var cellStart = (cell - 1) * g;
            var sum = (Int128)last.Price.Raw * (timeMs - cellStart) + (Int128)price.Raw * (cell * g - timeMs);
            _samples.Add(new Sample(timeMs, price, sum));
            _dirtyChunks.Add(cell / CellsPerChunk);
            if (_samples.Count > parameters.MaxSamples)
            {
                _dirtyChunks.Add(CellOf(_samples[0].TimeMs, g) / CellsPerChunk);
                _samples.RemoveAt(0);
                Truncated = true;
            }
        }
        LastVol = vol;
        LastUpdateHeight = height;
    }

    /// <summary>
    /// A digest of every sample: the hash of the chunk hashes in chunk order, each chunk hash covering
    /// the samples of 64 consecutive grid cells. Only chunks a block changed (the newest, and the oldest
    /// when one was dropped) are rehashed, so the state hash costs the same with 2,000 samples as with 2.
    /// </summary>
    public Hash32 SamplesDigest(long gridMs)
    {
        if (_allChunksDirty)
        {
            _chunkHashes.Clear();
            foreach (var sample in _samples) _dirtyChunks.Add(CellOf(sample.TimeMs, gridMs) / CellsPerChunk);
            _allChunksDirty = false;
        }
        var w = new CanonicalWriter(64 * 48);
        foreach (var chunk in _dirtyChunks)
        {
            w.Reset();
            foreach (var sample in SamplesIn(chunk, gridMs))
            {
                w.WriteVarInt(sample.TimeMs);
                w.WriteVarInt(sample.Price.Raw);
                w.WriteVarUInt((ulong)(sample.Sum >> 63));
                w.WriteVarUInt((ulong)(sample.Sum & long.MaxValue));
            }
            if (w.Length == 0) _chunkHashes.Remove(chunk);
            else _chunkHashes[chunk] = Hash32.Compute(w.Written);
        }
        _dirtyChunks.Clear();
        w.Reset();
        foreach (var (chunk, hash) in _chunkHashes)
        {
            w.WriteVarInt(chunk);
            w.WriteHash(hash);
        }
        return Hash32.Compute(w.Written);
    }

    private IEnumerable<Sample> SamplesIn(long chunk, long gridMs)
    {
        // Samples are in increasing cells: find the first of the chunk by binary search, then walk.
        int lo = 0, hi = _samples.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (CellOf(_samples[mid].TimeMs, gridMs) / CellsPerChunk < chunk) lo = mid + 1;
            else hi = mid;
        }
        for (var i = lo; i < _samples.Count && CellOf(_samples[i].TimeMs, gridMs) / CellsPerChunk == chunk; i++) yield return _samples[i];
    }

    /// <summary>
    /// The time-weighted average over (expiry − window, expiry], or why there is none. The caller has checked
    /// that the expiry is on the grid and that a block at or after it has been applied.
    /// </summary>
    public SettlementStatus Settle(long expiryMs, OracleParameters parameters, out Price price)
    {
        price = Price.Zero;
        var g = parameters.SampleGridMs;
        var startMs = expiryMs - parameters.SettlementWindowMs;
        var last = LastIndexAtOrBefore(expiryMs / g, g);
        if (last < 0) return Truncated ? SettlementStatus.WindowNotRetained : SettlementStatus.NoUpdateInWindow;
        if (_samples[last].TimeMs < startMs) return SettlementStatus.NoUpdateInWindow;
        if (expiryMs - _samples[last].TimeMs > parameters.MaxAgeMs) return SettlementStatus.StaleAtExpiry;

        var first = LastIndexAtOrBefore(startMs / g, g);
        if (first < 0 && Truncated) return SettlementStatus.WindowNotRetained;

        Int128 sum;
        long cursor, coveredFrom;
        Price inForce;
        int i;
        if (first >= 0)
        {
            // The price in force at the window's start counts from the start.
            sum = 0;
            cursor = coveredFrom = startMs;
            inForce = _samples[first].Price;
            i = first + 1;
        }
        else
        {
            // Nothing was ever in force at the start: the average runs from the very first update.
            sum = _samples[0].Sum;
            coveredFrom = FirstUpdateMs;
            cursor = CellOf(_samples[0].TimeMs, g) * g;
            inForce = _samples[0].Price;
            i = 1;
        }
        for (; i <= last; i++)
        {
            var s = _samples[i];
            var cell = CellOf(s.TimeMs, g);
            sum += (Int128)inForce.Raw * ((cell - 1) * g - cursor);   // empty cells between samples
            sum += s.Sum;
            cursor = cell * g;
            inForce = s.Price;
        }
        sum += (Int128)inForce.Raw * (expiryMs - cursor);

        var duration = expiryMs - coveredFrom;
        // Rounded down (toward zero: the sum is positive) to whole micro-USD.
        price = duration == 0 ? _samples[last].Price : new Price((long)(sum / duration));
        return SettlementStatus.Settled;
    }

    /// <summary>The index of the newest sample whose cell is at most <paramref name="cell"/>, or −1.</summary>
    private int LastIndexAtOrBefore(long cell, long g)
    {
        int lo = 0, hi = _samples.Count;
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (CellOf(_samples[mid].TimeMs, g) <= cell) lo = mid + 1;
            else hi = mid;
        }
        return lo - 1;
    }
}
