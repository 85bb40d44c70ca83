using Exchange.Core.Crypto;
using Exchange.Core.Numerics;

namespace Exchange.Core.Oracle;

/// <summary>Why an observation in a block did not count.</summary>
public enum IgnoredReason
{
    /// <summary>The signer has no voting power at this height.</summary>
    NotAValidator = 1,
    /// <summary>The validator already has an observation earlier in this block; only its first is considered.</summary>
    Duplicate = 2,
    /// <summary>The observation names a height other than the one this block commits (block height − 1): a replay.</summary>
    WrongHeight = 3,
    /// <summary>The observation fails <see cref="PriceObservation.Validate"/>.</summary>
    Malformed = 4,
}

/// <summary>An observation that did not count: its position in the block's list, its signer and why.</summary>
public readonly record struct IgnoredObservation(int Index, PublicKey Validator, IgnoredReason Reason);

/// <summary>What became of one reported underlying in a block.</summary>
public enum IndexOutcome
{
    /// <summary>The index took the weighted medians.</summary>
    Updated = 0,
    /// <summary>The reporters held too little power; the index kept its previous value and update time.</summary>
    BelowQuorum = 1,
    /// <summary>A new underlying reached quorum but the oracle already tracks its maximum number of underlyings.</summary>
    NoCapacity = 2,
}

/// <summary>One underlying's result: the medians (zero unless updated), the power that reported it and how many validators did.</summary>
public sealed record IndexResult(string Underlying, IndexOutcome Outcome, Price Price, long ImpliedVol, long ReportingPower, int Reporters);

/// <summary>What <see cref="OracleState.Apply"/> did with a block's observations, underlyings in ordinal order.</summary>
public sealed record OracleApplyResult(IReadOnlyList<IndexResult> Indexes, IReadOnlyList<IgnoredObservation> Ignored)
{
    public bool Equals(OracleApplyResult? other) =>
        other is not null && Indexes.SequenceEqual(other.Indexes) && Ignored.SequenceEqual(other.Ignored);

    public override int GetHashCode() => Indexes.Count;
}

/// <summary>The latest index of an underlying whether fresh or not, for display: price, implied vol and when and where it was set.</summary>
public readonly record struct IndexReading(string Underlying, Price Price, long ImpliedVol, long UpdatedAtMs, ulong UpdatedAtHeight);
