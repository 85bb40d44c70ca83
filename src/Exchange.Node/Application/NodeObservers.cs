using Exchange.Core.State;
using Exchange.Node.Ledger;
using Exchange.Node.Market;
using Exchange.Node.Mempool;

namespace Exchange.Node.Application;

/// <summary>The mempool's view after each block: the block, to drop what it committed, and a copy of the committed accounts to re-check the rest against.</summary>
public sealed class MempoolObserver : ILedgerObserver
{
    public object? AfterBlock(ExchangeState state, StakeSchedule schedule, Core.Ledger.Block block, BlockResult result) =>
        new Mempool.BlockCommitted(block, AccountSnapshot.Capture(state));

    public object? Recovered(ExchangeState state, StakeSchedule schedule) => new CommittedView(AccountSnapshot.Capture(state));
}

/// <summary>The read side's view after each block (books, marks, risk, liquidation candidates), copied on the ledger's thread.</summary>
public sealed class ReadModelObserver(ReadModelSettings settings) : ILedgerObserver
{
    private readonly ReadModelExtractor _extractor = new(settings);

    public object? AfterBlock(ExchangeState state, StakeSchedule schedule, Core.Ledger.Block block, BlockResult result) => _extractor.Next(state, result.Events);

    public object? Recovered(ExchangeState state, StakeSchedule schedule) => _extractor.Current(state);
}
