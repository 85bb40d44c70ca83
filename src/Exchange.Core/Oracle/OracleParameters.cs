namespace Exchange.Core.Oracle;

/// <summary>
/// The oracle's rules, fixed at genesis and carried in every snapshot (so two states with different rules
/// never hash alike). All times are block-time milliseconds.
/// </summary>
/// <param name="MaxAgeMs">An index is fresh while the block time is at most this long after its last update; older, it is stale.</param>
/// <param name="SettlementWindowMs">The settlement price is the time-weighted average over this long before expiry.</param>
/// <param name="SampleGridMs">
/// Samples are kept at most one per grid cell (the cell's last update, with the exact time-weighted sum of the
/// cell), so memory does not grow with the block rate. Expiries must fall on the grid and the window must be a
/// whole number of cells; then the average is exact.
/// </param>
/// <param name="MaxSamples">Samples kept per underlying (oldest dropped first). At least one window plus slack for the blocks after expiry.</param>
/// <param name="MaxUnderlyings">Underlyings the oracle tracks; a new one beyond this is not admitted.</param>
/// <param name="QuorumNumerator">With <paramref name="QuorumDenominator"/>: an update needs reporters holding more than this fraction of the total power.</param>
/// <param name="QuorumDenominator">See <paramref name="QuorumNumerator"/>.</param>
public sealed record OracleParameters(
    long MaxAgeMs,
    long SettlementWindowMs,
    long SampleGridMs,
    int MaxSamples,
    int MaxUnderlyings,
    int QuorumNumerator,
    int QuorumDenominator)
{
    /// <summary>A hard ceiling on <see cref="MaxSamples"/>, so a snapshot's size is bounded whatever the configuration.</summary>
    public const int SampleLimit = 100_000;

    /// <summary>A hard ceiling on <see cref="MaxUnderlyings"/>.</summary>
    public const int UnderlyingLimit = 256;

    /// <summary>
    /// 30 s freshness, a 30-minute settlement window on a 1-second grid (1,800 cells) with 2,048 samples
    /// (about 4 minutes of slack after expiry), 16 underlyings, quorum: reporters holding more than 1/3 of the power.
    /// </summary>
    public static readonly OracleParameters Default = new(
        MaxAgeMs: 30_000,
        SettlementWindowMs: 30 * 60_000,
        SampleGridMs: 1_000,
        MaxSamples: 2_048,
        MaxUnderlyings: 16,
        QuorumNumerator: 1,
        QuorumDenominator: 3);

    /// <summary>Grid cells in one settlement window.</summary>
    public long WindowCells => SettlementWindowMs / SampleGridMs;

    /// <summary>Null when the parameters are usable, otherwise what is wrong with them.</summary>
    public string? Problem()
    {
        if (MaxAgeMs <= 0) return "max age must be positive";
        if (SampleGridMs <= 0 || SampleGridMs > 3_600_000) return "sample grid must be 1 ms to 1 hour";
        if (SettlementWindowMs <= 0 || SettlementWindowMs % SampleGridMs != 0) return "settlement window must be a positive whole number of grid cells";
        if (MaxAgeMs > SettlementWindowMs) return "max age must not exceed the settlement window";
        if (MaxSamples > SampleLimit) return $"max samples must not exceed {SampleLimit}";
        // The window's cells, the cell in force at its start, and the cell of the first block after expiry.
        if (MaxSamples < WindowCells + 2) return $"max samples must be at least window / grid + 2 = {WindowCells + 2}";
        if (MaxUnderlyings <= 0 || MaxUnderlyings > UnderlyingLimit) return $"max underlyings must be 1 to {UnderlyingLimit}";
        if (QuorumDenominator <= 0 || QuorumNumerator >= QuorumDenominator) return "quorum must be a fraction below 1";
        if ((long)QuorumNumerator * 3 < QuorumDenominator) return "quorum must be at least 1/3, or validators below the fault bound could set prices alone";
        return null;
    }

    /// <summary>Throws when <see cref="Problem"/> finds one.</summary>
    public OracleParameters Validated() =>
        Problem() is { } problem ? throw new ArgumentException($"invalid oracle parameters: {problem}") : this;

    /// <summary>True when reporters holding <paramref name="reportingPower"/> out of <paramref name="totalPower"/> may update a price.</summary>
    public bool IsQuorum(Int128 reportingPower, long totalPower) =>
        reportingPower * QuorumDenominator > (Int128)totalPower * QuorumNumerator;
}
