using Exchange.Core.Crypto;

namespace Exchange.Node.Mempool;

/// <summary>What the mempool needs to know of one committed account.</summary>
/// <param name="Nonce">The last nonce the account used; its next transaction must carry exactly one more.</param>
/// <param name="Balance">USDC in micro-units, stake excluded. Free collateral is never more than this.</param>
/// <param name="IsAgent">An agent key trades for a principal and may never move funds.</param>
public readonly record struct AccountSummary(ulong Nonce, long Balance, bool IsAgent);

/// <summary>Whether an instrument name can be traded in the committed state.</summary>
public enum InstrumentStatus
{
    /// <summary>Never listed.</summary>
    NotListed = 0,
    /// <summary>Listed, not settled, not yet expired.</summary>
    Trading = 1,
    /// <summary>Listed once; expired or settled, so it takes no new orders.</summary>
    Closed = 2,
}

/// <summary>
/// The committed state as the mempool sees it: the chain, the height it reflects, each account's
/// nonce and balance, the authority keys and the instruments. Implementations must not change while
/// a reader holds them, because the mempool reads them from its own thread: hand it an
/// <see cref="AccountSnapshot"/> captured on the thread that owns the state, or an
/// <see cref="ExchangeStateView"/> only where no one else mutates that state.
/// </summary>
public interface IAccountView
{
    string ChainId { get; }
    /// <summary>The height of the last block applied to this state (0 at genesis).</summary>
    ulong Height { get; }
    /// <summary>The key that alone may send deposits.</summary>
    PublicKey Bridge { get; }
    /// <summary>The key that alone may list instruments.</summary>
    PublicKey Authority { get; }
    bool TryGetAccount(PublicKey key, out AccountSummary account);
    InstrumentStatus InstrumentStatusOf(string name);
}
