using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Markets;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;
using Exchange.Core.State;

namespace Exchange.Node.Market;

// Immutable copies of what the read side shows, taken from ExchangeState on the ledger's thread. None of them
// holds a reference into the state: lists are fresh arrays, everything else is a value or an immutable record,
// so an actor on another thread may read them while the ledger applies the next block.

/// <summary>A listed instrument and its mark for this block. <see cref="SettlementPrice"/> is set in the block that settled it.</summary>
public sealed record InstrumentView(int Id, Instrument Instrument, Price Mark, bool Settled, Price? SettlementPrice = null)
{
    public string Name => Instrument.Name;
    public string Underlying => Instrument.Series.Underlying;
    public long ExpiryUnixMs => Instrument.Series.ExpiryUnixSeconds * 1000;
}

/// <summary>The oracle's latest index of an underlying: price, implied vol in millionths, when it last moved, and whether it is fresh at the block time.</summary>
public sealed record IndexView(string Underlying, Price Price, long ImpliedVolMicros, long UpdatedAtMs, bool Fresh);

/// <summary>
/// The L2 view of one book after a block: aggregated levels, best first, at most the read model's depth per side.
/// </summary>
public sealed record BookView(string Instrument, IReadOnlyList<PriceLevel> Bids, IReadOnlyList<PriceLevel> Asks);

/// <summary>One fill of the block, at the maker's price.</summary>
public sealed record TradeView(
    string Instrument, int TxIndex, ulong TakerOrderId, PublicKey Taker, ulong MakerOrderId, PublicKey Maker, Side TakerSide, Price Price, Quantity Quantity);

/// <summary>
/// One holding of an account: <see cref="Size"/> is signed (negative short); <see cref="Value"/> is size × mark, truncated
/// toward zero exactly as <see cref="ExchangeState.Equity"/> counts it. Open orders are what they would add if filled.
/// </summary>
public sealed record PositionView(
    string Instrument, Quantity Size, Price Mark, Money Value, Quantity OpenBuy, Money OpenBuyPremium, Quantity OpenSell);

/// <summary>
/// An account's risk as the state computes it at <see cref="Height"/>: equity (balance plus positions at their marks),
/// collateral (the smaller of balance and equity), initial and maintenance margin, free collateral (collateral minus
/// initial margin: what can be withdrawn), and whether it is under maintenance with a position (liquidatable).
/// </summary>
public sealed record AccountRisk(
    PublicKey Account,
    ulong Height,
    MarginMode Mode,
    PublicKey? Principal,
    Money Balance,
    Money Stake,
    Money Equity,
    Money Collateral,
    Money InitialMargin,
    Money MaintenanceMargin,
    Money FreeCollateral,
    bool Liquidatable,
    int OpenOrders,
    IReadOnlyList<PositionView> Positions);
