namespace Exchange.Core.State;

/// <summary>
/// Why the state machine refused a transaction that passed its stateless checks. A refused
/// transaction changes nothing (not even the nonce) and yields one rejection event. Codes are
/// stable and continue the numbering of <see cref="Ledger.TxError"/> by stage.
/// </summary>
public enum StateError
{
    None = 0,

    // 600s: the signer
    UnknownSigner = 601,
    BadNonce = 602,
    Unauthorized = 603,
    AgentMayNotMoveFunds = 604,
    WrongChain = 605,

    // 700s: funds
    InsufficientFreeCollateral = 701,
    DuplicateDeposit = 702,
    InsufficientStake = 703,

    // 800s: markets
    UnknownInstrument = 801,
    InstrumentAlreadyListed = 802,
    InstrumentExpired = 803,
    InsufficientMargin = 804,
    OracleStale = 805,
    OrderRejected = 806,
    InvalidTransaction = 807,
}
