using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;
using Exchange.Core.Numerics;

namespace Exchange.Core.Oracle;

/// <summary>
/// The canonical snapshot: parameters, last block, then each underlying in ordinal order with its samples
/// oldest first. Everything the state holds is written and nothing else, so equal states have equal bytes
/// and <see cref="Hash"/> is a state hash. The reader refuses any encoding the writer cannot produce.
/// </summary>
public sealed partial class OracleState
{
    public const byte SnapshotVersion = 1;
    public const string HashTag = "exchange/oracle-state/v1";

    /// <summary>A sample's sum (an Int128, never negative) is written as two varints: the bits above 63, then the low 63 bits.</summary>
    private const long LowMask = long.MaxValue;

    /// <summary>
    /// The state hash: everything <see cref="WriteTo"/> writes, with each underlying's samples folded into
    /// their incrementally maintained digest instead of written out, so hashing every block stays cheap.
    /// </summary>
    public Hash32 Hash()
    {
        var w = new CanonicalWriter(256 + _series.Count * 96);
        WriteHeader(w);
        foreach (var s in _series.Values)
        {
            WriteSeriesHeader(w, s);
            w.WriteVarUInt((ulong)s.Samples.Count);
            w.WriteHash(s.SamplesDigest(Parameters.SampleGridMs));
        }
        return Hash32.Tagged(HashTag, w.Written);
    }

    private void WriteHeader(CanonicalWriter w)
    {
        w.WriteByte(SnapshotVersion);
        var p = Parameters;
        w.WriteVarInt(p.MaxAgeMs);
        w.WriteVarInt(p.SettlementWindowMs);
        w.WriteVarInt(p.SampleGridMs);
        w.WriteVarUInt((ulong)p.MaxSamples);
        w.WriteVarUInt((ulong)p.MaxUnderlyings);
        w.WriteVarUInt((ulong)p.QuorumNumerator);
        w.WriteVarUInt((ulong)p.QuorumDenominator);
        w.WriteVarUInt(LastHeight);
        w.WriteVarInt(LastBlockTimeMs);
        w.WriteVarUInt((ulong)_series.Count);
    }

    private static void WriteSeriesHeader(CanonicalWriter w, IndexSeries s)
    {
        w.WriteText(s.Underlying, Names.MaxUnderlyingLength);
        w.WriteVarInt(s.LastVol);
        w.WriteVarUInt(s.LastUpdateHeight);
        w.WriteVarInt(s.FirstUpdateMs);
        w.WriteBool(s.Truncated);
    }

    public byte[] Encode()
    {
        var w = new CanonicalWriter(256 + _series.Count * 64);
        WriteTo(w);
        return w.ToArray();
    }

    public void WriteTo(CanonicalWriter w)
    {
        WriteHeader(w);
        foreach (var s in _series.Values)
        {
            WriteSeriesHeader(w, s);
            w.WriteVarUInt((ulong)s.Samples.Count);
            foreach (var sample in s.Samples)
            {
                w.WriteVarInt(sample.TimeMs);
                w.WriteVarInt(sample.Price.Raw);
                w.WriteVarUInt((ulong)(sample.Sum >> 63));
                w.WriteVarUInt((ulong)(sample.Sum & LowMask));
            }
        }
    }

    public static bool TryDecode(ReadOnlySpan<byte> bytes, out OracleState? state, out DecodeException? error) =>
        Decoding.TryDecode(Decode, bytes, out state, out error);

    /// <summary>Decodes exactly one snapshot or throws <see cref="DecodeException"/>.</summary>
    public static OracleState Decode(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, int.MaxValue, "oracle state", Read);

    public static OracleState Read(ref CanonicalReader r)
    {
        var version = r.ReadByte("oracle.version");
        if (version != SnapshotVersion) throw new DecodeException(DecodeError.UnknownVersion, $"oracle snapshot version {version}");
        var p = new OracleParameters(
            MaxAgeMs: r.ReadVarInt("oracle.max_age"),
            SettlementWindowMs: r.ReadVarInt("oracle.window"),
            SampleGridMs: r.ReadVarInt("oracle.grid"),
            MaxSamples: (int)r.ReadVarUInt("oracle.max_samples", OracleParameters.SampleLimit),
            MaxUnderlyings: (int)r.ReadVarUInt("oracle.max_underlyings", OracleParameters.UnderlyingLimit),
            QuorumNumerator: (int)r.ReadVarUInt("oracle.quorum_numerator", int.MaxValue),
            QuorumDenominator: (int)r.ReadVarUInt("oracle.quorum_denominator", int.MaxValue));
        if (p.Problem() is { } problem) throw new DecodeException(DecodeError.ValueOutOfRange, $"oracle parameters: {problem}");
        var lastHeight = r.ReadVarUInt("oracle.last_height");
        var lastBlockTime = r.ReadVarInt("oracle.last_block_time");
        if (lastBlockTime < 0)
            throw new DecodeException(DecodeError.ValueOutOfRange, $"oracle: block time {lastBlockTime} at height {lastHeight}");
        // Genesis seeds prices at height 0 (see Seed), so a series may exist before the first block.
        var count = r.ReadLength("oracle.underlyings", p.MaxUnderlyings);

        var series = new SortedDictionary<string, IndexSeries>(StringComparer.Ordinal);
        string? previous = null;
        for (var i = 0; i < count; i++)
        {
            var s = ReadSeries(ref r, p, lastHeight, lastBlockTime);
            if (previous is not null && string.CompareOrdinal(previous, s.Underlying) >= 0)
                throw new DecodeException(DecodeError.NonCanonicalOrder, "oracle: underlyings must be strictly increasing");
            previous = s.Underlying;
            series.Add(s.Underlying, s);
        }
        return new OracleState(p, lastHeight, lastBlockTime, series);
    }

    private static IndexSeries ReadSeries(ref CanonicalReader r, OracleParameters p, ulong lastHeight, long lastBlockTime)
    {
        var underlying = r.ReadText("oracle.underlying", Names.MaxUnderlyingLength);
        if (!Names.IsValidUnderlying(underlying)) throw new DecodeException(DecodeError.InvalidText, $"oracle: '{underlying}' is not an underlying symbol");
        var vol = r.ReadVarInt("oracle.vol");
        if (vol <= 0 || vol > IndexQuote.MaxImpliedVol) throw new DecodeException(DecodeError.ValueOutOfRange, $"{underlying}: implied vol {vol}");
        var updateHeight = r.ReadVarUInt("oracle.update_height");
        if (updateHeight > lastHeight)
            throw new DecodeException(DecodeError.ValueOutOfRange, $"{underlying}: updated at height {updateHeight}, last block {lastHeight}");
        var firstUpdate = r.ReadVarInt("oracle.first_update");
        var truncated = r.ReadBool("oracle.truncated");
        var sampleCount = r.ReadLength("oracle.samples", p.MaxSamples);
        if (sampleCount == 0) throw new DecodeException(DecodeError.LengthOutOfRange, $"{underlying}: a tracked underlying has at least one sample");
        if (truncated && sampleCount != p.MaxSamples)
            throw new DecodeException(DecodeError.ValueOutOfRange, $"{underlying}: samples are dropped only at the limit of {p.MaxSamples}");

        var g = p.SampleGridMs;
        var samples = new List<Sample>(sampleCount);
        var maxHigh = (ulong)g;   // a cell's sum is below G · 2^63
        for (var i = 0; i < sampleCount; i++)
        {
            var time = r.ReadVarInt("oracle.sample_time");
            var price = r.ReadVarInt("oracle.sample_price");
            var high = r.ReadVarUInt("oracle.sample_sum_high", maxHigh);
            var low = r.ReadVarUInt("oracle.sample_sum_low", LowMask);
            if (price <= 0) throw new DecodeException(DecodeError.ValueOutOfRange, $"{underlying}: sample price {price}");
            if (time < 0 || time > lastBlockTime) throw new DecodeException(DecodeError.ValueOutOfRange, $"{underlying}: sample at {time} outside 0..{lastBlockTime}");
            if (i > 0 && IndexSeries.CellOf(time, g) <= IndexSeries.CellOf(samples[i - 1].TimeMs, g))
                throw new DecodeException(DecodeError.NonCanonicalOrder, $"{underlying}: samples must be in strictly increasing grid cells");
            samples.Add(new Sample(time, new Price(price), ((Int128)high << 63) | low));
        }

        var firstCell = IndexSeries.CellOf(samples[0].TimeMs, g);
        var firstOk = firstUpdate >= 0 && (truncated
            ? firstUpdate <= (firstCell - 1) * g
            : firstUpdate > (firstCell - 1) * g && firstUpdate <= samples[0].TimeMs);
        if (!firstOk) throw new DecodeException(DecodeError.ValueOutOfRange, $"{underlying}: first update at {firstUpdate} does not fit the samples");
        return new IndexSeries(underlying, vol, updateHeight, firstUpdate, truncated, samples);
    }
}
