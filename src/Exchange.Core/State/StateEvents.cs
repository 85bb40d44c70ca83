using Exchange.Core.Crypto;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;

namespace Exchange.Core.State;

/// <summary>
/// What a block did, for subscribers and read models. Every event names the transaction (by its
/// index in the block) that caused it, or -1 for what the block itself did (oracle, liquidation,
/// settlement).
/// </summary>
public abstract record StateEvent(int TxIndex);

/// <summary>A transaction that changed nothing; <see cref="Code"/> is a TxError, StateError or BookResult number.</summary>
public sealed record TxRejected(int TxIndex, Hash32 TxHash, PublicKey Signer, int Code, string Reason) : StateEvent(TxIndex);

public sealed record Deposited(int TxIndex, PublicKey Account, Money Amount, Hash32 ExternalId) : StateEvent(TxIndex);

public sealed record Withdrawn(int TxIndex, PublicKey Account, Money Amount, string Destination) : StateEvent(TxIndex);

public sealed record Transferred(int TxIndex, PublicKey From, PublicKey To, Money Amount) : StateEvent(TxIndex);

public sealed record AgentChanged(int TxIndex, PublicKey Account, PublicKey Agent, bool Approved) : StateEvent(TxIndex);

public sealed record InstrumentListed(int TxIndex, int InstrumentId, string Name) : StateEvent(TxIndex);

public sealed record StakeChanged(int TxIndex, PublicKey Validator, Money Stake) : StateEvent(TxIndex);

/// <summary>An order's life in a book (accepted, canceled, amended, expired, rejected); trades come as <see cref="Traded"/>.</summary>
public sealed record OrderEvent(int TxIndex, string Instrument, BookEvent Event) : StateEvent(TxIndex);

public sealed record Traded(int TxIndex, string Instrument, ulong TakerOrderId, PublicKey Taker, ulong MakerOrderId, PublicKey Maker,
    Ledger.Side TakerSide, Price Price, Quantity Quantity, Money TakerFee, Money MakerFee) : StateEvent(TxIndex);

public sealed record Liquidated(int TxIndex, PublicKey Account, string Instrument, Quantity Closed, Money Penalty) : StateEvent(TxIndex);

/// <summary>A holder of the other side whose position was closed against a bankrupt account's (auto-deleveraging).</summary>
public sealed record AutoDeleveraged(int TxIndex, PublicKey Account, PublicKey Bankrupt, string Instrument, Quantity Closed, Money Paid) : StateEvent(TxIndex);

public sealed record LossCovered(int TxIndex, PublicKey Account, Money Loss, Money FromInsurance, Money Socialized) : StateEvent(TxIndex);

public sealed record Settled(int TxIndex, string Instrument, Price SettlementPrice, int Positions) : StateEvent(TxIndex);

/// <summary>
/// Equivocation evidence in the block slashed <see cref="Validator"/>: <see cref="Amount"/> left its stake for the
/// insurance fund, and <see cref="StakeAfter"/> remains bonded. A block-level event (transaction index -1).
/// </summary>
public sealed record Slashed(int TxIndex, PublicKey Validator, Ledger.Offence Offence, Money Amount, Money StakeAfter) : StateEvent(TxIndex);
