using Exchange.Core.State;

namespace Exchange.Node.Market;

/// <summary>Messages between the ledger and the read side (market data and margin engine) in one node.</summary>
public interface IReadSideMessage;

/// <summary>
/// What one applied block changed, as immutable views (<see cref="ReadModel.Extract"/>), published by the ledger on
/// the actor system's event stream after the block is durable. Every entity it carries is whole (a book's full L2 to
/// the read model's depth, an account's full risk), so a reader never needs the previous message to use it; what a
/// block did not touch is simply absent. <see cref="IsFull"/> marks a message that carries every live book and every
/// account, sent first and then periodically.
/// </summary>
/// <param name="Instruments">Every live instrument with its mark, plus those settled in this block (flagged).</param>
/// <param name="Indexes">Every underlying the oracle knows.</param>
/// <param name="Books">The books this block touched (all live books when full).</param>
/// <param name="Trades">The block's fills, in block order.</param>
/// <param name="Accounts">Accounts this block touched or lists as liquidation candidates, every account with holdings on a risk-refresh height, every account when full.</param>
/// <param name="LiquidationCandidates">The accounts under maintenance, ranked (<see cref="ExchangeState.FindLiquidationCandidates"/>); null when the scan is off.</param>
public sealed record StateAdvanced(
    ulong Height,
    long BlockTimeMs,
    bool IsFull,
    long RiskFreeRateMicros,
    IReadOnlyList<InstrumentView> Instruments,
    IReadOnlyList<IndexView> Indexes,
    IReadOnlyList<BookView> Books,
    IReadOnlyList<TradeView> Trades,
    IReadOnlyList<AccountRisk> Accounts,
    IReadOnlyList<LiquidationCandidate>? LiquidationCandidates) : IReadSideMessage;

/// <summary>
/// Published on the event stream by a read-side actor that starts after the ledger: asks the ledger to make its next
/// <see cref="StateAdvanced"/> full (<see cref="ReadModelExtractor.RequestFull"/>), so late readers get every book and account.
/// </summary>
public sealed record ReadSideResyncRequested : IReadSideMessage
{
    public static readonly ReadSideResyncRequested Instance = new();
}
