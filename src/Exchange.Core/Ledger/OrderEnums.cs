namespace Exchange.Core.Ledger;

// Wire values are part of the canonical encoding: never renumber, only append.

public enum Side : byte { Buy = 1, Sell = 2 }

public enum OrderType : byte
{
    Limit = 1,
    /// <summary>Takes liquidity up to the instrument's price band; never rests.</summary>
    Market = 2,
}

public enum TimeInForce : byte
{
    GoodTilCancelled = 1,
    ImmediateOrCancel = 2,
    /// <summary>Fills completely at once or not at all.</summary>
    FillOrKill = 3,
}

[Flags]
public enum OrderFlags : byte
{
    None = 0,
    /// <summary>Rejected instead of taking liquidity.</summary>
    PostOnly = 1,
    /// <summary>May only shrink the account's position; trimmed or rejected otherwise.</summary>
    ReduceOnly = 2,
}

/// <summary>What happens when an incoming order would trade with a resting order of the same account.</summary>
public enum SelfTradePrevention : byte
{
    CancelResting = 1,
    CancelIncoming = 2,
    /// <summary>Both orders shrink by the overlapping quantity; no trade is printed.</summary>
    DecrementBoth = 3,
}

public enum OptionKind : byte { Call = 1, Put = 2 }

/// <summary>The transaction payload kinds of DESIGN.md section 4, by wire tag.</summary>
public enum PayloadKind : byte
{
    Deposit = 1,
    Withdraw = 2,
    Transfer = 3,
    PlaceOrder = 4,
    CancelOrder = 5,
    CancelAll = 6,
    AmendOrder = 7,
    ApproveAgent = 8,
    ListInstrument = 9,
    Stake = 10,
    Unstake = 11,
    SetMarginMode = 12,
}

/// <summary>How an account is margined (wire values).</summary>
public enum MarginModeKind : byte
{
    /// <summary>Per-position Deribit standard margin.</summary>
    Standard = 1,
    /// <summary>Scenario-based portfolio margin.</summary>
    Portfolio = 2,
}
