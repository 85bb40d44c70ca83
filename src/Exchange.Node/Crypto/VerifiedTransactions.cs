using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Node.Crypto;

/// <summary>
/// Transactions whose signatures this process has verified, by id. An id is SHA-256 of the whole encoding, chain id and
/// signature included, so a verified id stays valid forever and for every node in the process: the mempool records
/// what it admitted, proposal validation skips those instead of verifying them a second time, and a compact proposal
/// (transaction ids only) is put back together from the transactions kept here. Bounded; the oldest are forgotten
/// first (a forgotten one is simply verified again, or its proposal asked for whole).
/// </summary>
public sealed class VerifiedTransactions(int capacity)
{
    /// <summary>About ten seconds of transactions at the devnet's peak; a proposal's are a few hundred milliseconds old.</summary>
    public static VerifiedTransactions Shared { get; } = new(65_536);

    private readonly BoundedRecord<Hash32, Transaction?> _byId = new(capacity);

    /// <summary>Records a verified id, and the transaction when the caller has it (so compact proposals can name it).</summary>
    public void Add(in Hash32 id, Transaction? tx = null) => _byId.Add(id, tx, static (known, tx) => known ?? tx);

    public bool Contains(in Hash32 id) => _byId.Contains(id);

    /// <summary>The verified transaction with this id, when it is still kept; null otherwise.</summary>
    public Transaction? Find(Hash32 id) => _byId.Find(id);
}
