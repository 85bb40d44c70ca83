using Exchange.Core.State;

namespace Exchange.Node.Ledger;

/// <summary>
/// Something that needs a view of the state after each block: the mempool's committed accounts, the read side's
/// books and risk. <see cref="ExchangeState"/> is applied in place, so no other thread may read it; the ledger calls
/// each observer on its own thread right after <c>Apply</c> (and after recovery), and publishes what it returns on
/// the event stream once the block is durable. A view must therefore be a copy that later blocks cannot change.
/// </summary>
public interface ILedgerObserver
{
    /// <summary>The view after <paramref name="block"/>; null publishes nothing.</summary>
    object? AfterBlock(ExchangeState state, StakeSchedule schedule, Exchange.Core.Ledger.Block block, BlockResult result);

    /// <summary>The view of the recovered state, before any new block; null publishes nothing.</summary>
    object? Recovered(ExchangeState state, StakeSchedule schedule);
}
