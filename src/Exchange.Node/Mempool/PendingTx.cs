using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Node.Crypto;

namespace Exchange.Node.Mempool;

/// <summary>
/// A transaction that passed every check but its signature: decoded, valid, for this chain, not a
/// replay, not already pending. It carries what the verifier needs, so verification can run on
/// any thread while the pool stays with its owner.
/// </summary>
public sealed class Candidate
{
    internal Candidate(Transaction tx, byte[] encoded, Hash32 hash)
    {
        Tx = tx;
        Encoded = encoded;
        Hash = hash;
        Signed = new SignedMessage(tx);
    }

    public Transaction Tx { get; }
    /// <summary>The canonical bytes as received (a private copy); what is gossiped and counted against the byte limit.</summary>
    public byte[] Encoded { get; }
    /// <summary>The transaction id: SHA-256 of <see cref="Encoded"/>.</summary>
    public Hash32 Hash { get; }
    /// <summary>The signature to verify: sender, signing hash, signature.</summary>
    public SignedMessage Signed { get; }
}

/// <summary>A transaction in the pool, waiting for a block.</summary>
public sealed class PendingTx
{
    internal PendingTx(Candidate candidate, long sequence)
    {
        Tx = candidate.Tx;
        Encoded = candidate.Encoded;
        Hash = candidate.Hash;
        Sequence = sequence;
    }

    public Transaction Tx { get; }
    public byte[] Encoded { get; }
    public Hash32 Hash { get; }
    /// <summary>Arrival order in this pool: batches are reaped in increasing sequence.</summary>
    public long Sequence { get; }
    public PublicKey Sender => Tx.Sender;
    public ulong Nonce => Tx.Nonce;

    /// <summary>This entry's place in the pool's arrival list, for removal in constant time.</summary>
    internal LinkedListNode<PendingTx>? Node;
}

/// <summary>A pending transaction the pool let go after a block because it can no longer apply, and why.</summary>
public readonly record struct DroppedTx(Hash32 Hash, PublicKey Sender, ulong Nonce, MempoolRejection Reason);

/// <summary>What a committed block did to the pool: how many of its transactions were pending here, and which others were dropped.</summary>
public sealed record CommitOutcome(int Committed, IReadOnlyList<DroppedTx> Dropped)
{
    public static readonly CommitOutcome Nothing = new(0, []);
}
