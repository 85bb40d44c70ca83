using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Bench.State;

/// <summary>What a transaction of the mix is for; the benchmark's per-kind breakdown groups by it.</summary>
internal enum TxRole : byte
{
    /// <summary>A market maker's new post-only quote around the mark.</summary>
    Quote,
    /// <summary>A market maker moves one of its quotes (new price and size).</summary>
    Requote,
    /// <summary>A market maker pulls one of its quotes.</summary>
    Pull,
    /// <summary>A trader's order that crosses the spread and trades (limit IOC or GTC, or market).</summary>
    Take,
    /// <summary>A trader's limit order away from the touch, which rests.</summary>
    Rest,
    /// <summary>A trader cancels one of its resting orders.</summary>
    TraderCancel,
    Transfer,
    Deposit,
    Withdraw,
    /// <summary>A leveraged account sells options into the bids (warm-up only), to be liquidated later.</summary>
    OpenShort,
}

/// <summary>One pre-built block, what each of its transactions is for, and the app hash it must lead to.</summary>
internal sealed record BenchBlock(Block Block, TxRole[] Roles, Hash32 AppHash);

/// <summary>
/// The blocks the benchmark applies: warm-up blocks that fill the books and open the leveraged
/// positions (applied untimed before every pass), then the measured blocks.
/// </summary>
internal sealed record StateWorkload(BenchChain Chain, IReadOnlyList<BenchBlock> WarmUp, IReadOnlyList<BenchBlock> Measured, WorkloadCensus Census)
{
    public int MeasuredTransactions => Measured.Sum(b => b.Block.Transactions.Count);
}

/// <summary>What generating the measured blocks produced, as the shadow state saw it.</summary>
internal sealed record WorkloadCensus(
    IReadOnlyDictionary<TxRole, int> Roles,
    IReadOnlyDictionary<int, int> RejectionsByCode,
    int RestingOrdersAtStart,
    int RestingOrdersAtEnd,
    int LiquidationCandidates);
