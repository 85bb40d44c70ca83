using Exchange.Core.State;
using Exchange.Node.Ledger;
using Exchange.Node.Market;
using Exchange.Node.Mempool;

namespace Exchange.Node.Application;

/// <summary>The mempool's view after each block: the block, to drop what it committed, and a copy of the committed accounts to re-check the rest against.</summary>
/// <remarks>Runs on the ledger's thread; each block's copy is the previous one with the block's changed accounts replaced.</remarks>
public sealed class MempoolObserver : ILedgerObserver
{
    private AccountSnapshot? _last;

    public object? AfterBlock(ExchangeState state, StakeSchedule schedule, Core.Ledger.Block block, BlockResult result)
    {
        _last = _last is null ? AccountSnapshot.Capture(state) : _last.After(state);
        return new Mempool.BlockCommitted(block, _last);
    }

    public object? Recovered(ExchangeState state, StakeSchedule schedule)
    {
        _last = AccountSnapshot.Capture(state);
        return new CommittedView(_last);
    }
}

/// <summary>The read side's view after each block (books, marks, risk, liquidation candidates), copied on the ledger's thread.</summary>
public sealed class ReadModelObserver(ReadModelSettings settings) : ILedgerObserver
{
    private readonly ReadModelExtractor _extractor = new(settings);

    public object? AfterBlock(ExchangeState state, StakeSchedule schedule, Core.Ledger.Block block, BlockResult result) => _extractor.Next(state, result.Events);

    public object? Recovered(ExchangeState state, StakeSchedule schedule) => _extractor.Current(state);
}
