using Exchange.Core.Ledger;

namespace Exchange.Core.Markets;

/// <summary>
/// Order ids come from the transaction that placed the order: its block height and its index in
/// the block. Every validator derives the same id, ids grow with time, and a transaction places at
/// most one order, so no two orders ever share one.
/// </summary>
public static class OrderIds
{
    private const int IndexBits = 16;

    static OrderIds()
    {
        if (Block.MaxTransactions >= 1 << IndexBits) throw new InvalidOperationException("block size outgrew the order id layout");
    }

    public static ulong For(ulong height, int txIndex)
    {
        if (height == 0 || height >= 1UL << (64 - IndexBits)) throw new ArgumentOutOfRangeException(nameof(height));
        if ((uint)txIndex >= Block.MaxTransactions) throw new ArgumentOutOfRangeException(nameof(txIndex));
        return height << IndexBits | (uint)txIndex;
    }

    /// <summary>
    /// Ids for orders the block itself places (liquidations): indexes above any transaction's, so they
    /// never collide with a transaction-derived id.
    /// </summary>
    public static ulong ForBlockAction(ulong height, int action)
    {
        if ((uint)action >= (1 << IndexBits) - Block.MaxTransactions) throw new ArgumentOutOfRangeException(nameof(action));
        return For(height, 0) | (uint)(Block.MaxTransactions + action);
    }

    public static (ulong Height, int TxIndex) Split(ulong orderId) => (orderId >> IndexBits, (int)(orderId & ((1 << IndexBits) - 1)));
}
