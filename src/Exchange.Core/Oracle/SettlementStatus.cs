namespace Exchange.Core.Oracle;

/// <summary>
/// The answer to <see cref="OracleState.SettlementPrice"/>. Only <see cref="NotExpired"/> can change with later
/// blocks; once a block at or after the expiry is applied (block times strictly increase), no later block can add
/// data at or before it, so every other answer is final for that expiry.
/// </summary>
public enum SettlementStatus
{
    /// <summary>The price is the time-weighted average of the index over the window.</summary>
    Settled = 0,
    /// <summary>The oracle has never had a price for this underlying.</summary>
    UnknownUnderlying = 1,
    /// <summary>The expiry is not a multiple of the sample grid, so the window's average would not be exact.</summary>
    ExpiryOffGrid = 2,
    /// <summary>No block at or after the expiry has been applied yet: ask again after a later block.</summary>
    NotExpired = 3,
    /// <summary>No update in [expiry − window, expiry]: the only price is older than the window.</summary>
    NoUpdateInWindow = 4,
    /// <summary>The last update at or before the expiry is more than the max age before it: the index was stale at expiry.</summary>
    StaleAtExpiry = 5,
    /// <summary>The samples for the start of the window were dropped (the question came too long after expiry).</summary>
    WindowNotRetained = 6,
}
