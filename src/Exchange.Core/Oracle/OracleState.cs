using Exchange.Core.Crypto;
using Exchange.Core.Numerics;

namespace Exchange.Core.Oracle;

/// <summary>
/// The index prices every validator agrees on, built only from the observations carried in blocks and the
/// block times (docs/oracle.md has the rules). Pure and deterministic: the same blocks give the same state
/// and <see cref="Hash"/> on every node. Underlyings are kept in ordinal order; the voting-power map is only
/// looked up, never iterated, so its hash order cannot leak into the state.
/// </summary>
public sealed partial class OracleState
{
    private readonly SortedDictionary<string, IndexSeries> _series;

    public OracleParameters Parameters { get; }

    /// <summary>The height of the last applied block; 0 before the first.</summary>
    public ulong LastHeight { get; private set; }

    /// <summary>The block time of the last applied block; 0 before the first.</summary>
    public long LastBlockTimeMs { get; private set; }

    public OracleState(OracleParameters parameters)
        : this(parameters.Validated(), 0, 0, new SortedDictionary<string, IndexSeries>(StringComparer.Ordinal)) { }

    private OracleState(OracleParameters parameters, ulong lastHeight, long lastBlockTimeMs, SortedDictionary<string, IndexSeries> series)
    {
        Parameters = parameters;
        LastHeight = lastHeight;
        LastBlockTimeMs = lastBlockTimeMs;
        _series = series;
    }

    /// <summary>
    /// The genesis price of an underlying, in force from the genesis time at height 0: the chain starts with
    /// a fresh index instead of waiting for the first quorum of observations.
    /// </summary>
    public void Seed(string underlying, long genesisTimeMs, Price price, long impliedVol)
    {
        if (LastHeight != 0) throw new InvalidOperationException("only a genesis state can be seeded");
        if (!price.IsPositive || impliedVol <= 0) throw new ArgumentOutOfRangeException(nameof(price), "genesis index price and volatility must be positive");
        if (_series.ContainsKey(underlying)) throw new ArgumentException($"{underlying} is seeded already", nameof(underlying));
        if (_series.Count >= Parameters.MaxUnderlyings) throw new ArgumentException($"more than {Parameters.MaxUnderlyings} underlyings", nameof(underlying));
        _series.Add(underlying, IndexSeries.Start(underlying, genesisTimeMs, price, impliedVol, 0, Parameters.SampleGridMs));
        LastBlockTimeMs = genesisTimeMs;
    }

    /// <summary>The underlyings that have ever had a price, in ordinal order.</summary>
    public IReadOnlyList<string> Underlyings => _series.Keys.ToArray();

    /// <summary>
    /// Applies the observations carried by the block at <paramref name="height"/> (they ride on the precommits
    /// for <c>height − 1</c>). Signatures must already be verified by the caller. Per underlying, when the
    /// validators that reported it hold more than the quorum fraction of <paramref name="totalPower"/>, the index
    /// becomes the lower stake-weighted median of their prices (and, separately, of their vols), stamped with the
    /// block time. Throws when the block does not follow the last one (height not above, time not after).
    /// </summary>
    public OracleApplyResult Apply(
        ulong height,
        long blockTimeUnixMs,
        IReadOnlyList<PriceObservation> observations,
        IReadOnlyDictionary<PublicKey, long> votingPower,
        long totalPower)
    {
        if (height == 0 || height <= LastHeight)
            throw new ArgumentOutOfRangeException(nameof(height), height, $"block height must be above the last applied height {LastHeight}");
        if (blockTimeUnixMs < 0 || (LastHeight > 0 && blockTimeUnixMs <= LastBlockTimeMs))
            throw new ArgumentOutOfRangeException(nameof(blockTimeUnixMs), blockTimeUnixMs, $"block time must be after the last block time {LastBlockTimeMs}");
        if (totalPower <= 0) throw new ArgumentOutOfRangeException(nameof(totalPower), totalPower, "total voting power must be positive");

        var ignored = new List<IgnoredObservation>();
        var reports = new SortedDictionary<string, List<(IndexQuote Quote, PublicKey Validator, long Power)>>(StringComparer.Ordinal);
        var seen = new HashSet<PublicKey>();   // membership only; never iterated
        for (var i = 0; i < observations.Count; i++)
        {
            var o = observations[i];
            IgnoredReason? reason =
                !votingPower.TryGetValue(o.Validator, out var power) || power <= 0 ? IgnoredReason.NotAValidator
                : !seen.Add(o.Validator) ? IgnoredReason.Duplicate
                : o.Height != height - 1 ? IgnoredReason.WrongHeight
                : !o.Validate().IsValid ? IgnoredReason.Malformed
                : null;
            if (reason is { } r)
            {
                ignored.Add(new IgnoredObservation(i, o.Validator, r));
                continue;
            }
            foreach (var q in o.Quotes)
            {
                if (!reports.TryGetValue(q.Underlying, out var list)) reports.Add(q.Underlying, list = []);
                list.Add((q, o.Validator, power));
            }
        }

        var results = new List<IndexResult>(reports.Count);
        foreach (var (underlying, list) in reports)
            results.Add(Aggregate(underlying, list, height, blockTimeUnixMs, totalPower));

        LastHeight = height;
        LastBlockTimeMs = blockTimeUnixMs;
        return new OracleApplyResult(results, ignored);
    }

    private IndexResult Aggregate(string underlying, List<(IndexQuote Quote, PublicKey Validator, long Power)> list, ulong height, long blockTimeMs, long totalPower)
    {
        Int128 reporting = 0;
        foreach (var e in list) reporting += e.Power;
        if (reporting > totalPower)
            throw new ArgumentException($"{underlying}: reporters hold {reporting} voting power, more than the total {totalPower}", nameof(totalPower));
        var power = (long)reporting;
        if (!Parameters.IsQuorum(reporting, totalPower))
            return new IndexResult(underlying, IndexOutcome.BelowQuorum, Price.Zero, 0, power, list.Count);

        var exists = _series.TryGetValue(underlying, out var series);
        if (!exists && _series.Count >= Parameters.MaxUnderlyings)
            return new IndexResult(underlying, IndexOutcome.NoCapacity, Price.Zero, 0, power, list.Count);

        var entries = new WeightedValue[list.Count];
        for (var i = 0; i < list.Count; i++) entries[i] = new WeightedValue(list[i].Quote.Price.Raw, list[i].Validator, list[i].Power);
        var price = new Price(WeightedMedian.LowerInPlace(entries));
        for (var i = 0; i < list.Count; i++) entries[i] = new WeightedValue(list[i].Quote.ImpliedVol, list[i].Validator, list[i].Power);
        var vol = WeightedMedian.LowerInPlace(entries);

        if (exists) series!.Record(blockTimeMs, price, vol, height, Parameters);
        else _series.Add(underlying, IndexSeries.Start(underlying, blockTimeMs, price, vol, height, Parameters.SampleGridMs));
        return new IndexResult(underlying, IndexOutcome.Updated, price, vol, power, list.Count);
    }

    /// <summary>
    /// True when the underlying's last update is at most the max age before <paramref name="nowMs"/> (a block time).
    /// A time before the last update is not one this state can answer for, so it is not fresh either.
    /// </summary>
    public bool IsFresh(string underlying, long nowMs) =>
        _series.TryGetValue(underlying, out var s) && IsFresh(s, nowMs);

    private bool IsFresh(IndexSeries s, long nowMs) => nowMs >= s.LastUpdateMs && nowMs - s.LastUpdateMs <= Parameters.MaxAgeMs;

    /// <summary>The index and implied vol (millionths) usable at block time <paramref name="nowMs"/>; false when unknown or stale.</summary>
    public bool TryGetIndex(string underlying, long nowMs, out Price price, out long impliedVol)
    {
        if (_series.TryGetValue(underlying, out var s) && IsFresh(s, nowMs))
        {
            price = s.LastPrice;
            impliedVol = s.LastVol;
            return true;
        }
        price = Price.Zero;
        impliedVol = 0;
        return false;
    }

    /// <summary>The last index whatever its age, for display; false when the underlying never had a price.</summary>
    public bool TryGetLatest(string underlying, out IndexReading reading)
    {
        if (_series.TryGetValue(underlying, out var s))
        {
            reading = new IndexReading(underlying, s.LastPrice, s.LastVol, s.LastUpdateMs, s.LastUpdateHeight);
            return true;
        }
        reading = default;
        return false;
    }

    /// <summary>
    /// The settlement price for an expiry: the time-weighted average of the index over the block times in
    /// [expiry − window, expiry], each price weighted by how long it held (until the next update or the
    /// window's end), the price in force at the window's start counting from the start; rounded down to a
    /// micro-USD. Refused, never answered from old data, unless: a block at or after the expiry has been
    /// applied, some update falls in the window, and the last update at or before the expiry is at most the
    /// max age before it. <paramref name="price"/> is zero unless the status is <see cref="SettlementStatus.Settled"/>.
    /// </summary>
    public SettlementStatus SettlementPrice(string underlying, long expiryUnixMs, out Price price)
    {
        price = Price.Zero;
        if (!_series.TryGetValue(underlying, out var s)) return SettlementStatus.UnknownUnderlying;
        if (expiryUnixMs < 0 || expiryUnixMs % Parameters.SampleGridMs != 0) return SettlementStatus.ExpiryOffGrid;
        if (LastHeight == 0 || LastBlockTimeMs < expiryUnixMs) return SettlementStatus.NotExpired;
        return s.Settle(expiryUnixMs, Parameters, out price);
    }
}
