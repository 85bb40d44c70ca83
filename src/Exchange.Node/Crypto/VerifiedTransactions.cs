using System.Collections.Concurrent;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Node.Crypto;

/// <summary>
/// Transactions whose signatures this process has verified, by id. An id is SHA-256 of the whole encoding, chain id and
/// signature included, so a verified id stays valid forever and for every node in the process: the mempool records
/// what it admitted, proposal validation skips those instead of verifying them a second time, and a compact proposal
/// (transaction ids only) is put back together from the transactions kept here. Bounded; the oldest are forgotten
/// first (a forgotten one is simply verified again, or its proposal asked for whole).
/// <para>
/// It also knows what is being verified right now. The mempool verifies a batch on the thread pool while a proposal
/// holding some of the same transactions may arrive, and the application then checks those before the block is
/// judged: each side claims the ids it verifies (<see cref="TryClaim"/>), and the other waits for that result instead
/// of verifying them a second time. At the devnet's peak such repeats had been an eighth of all verifications. The
/// application claims a few dozen at a time, so a mempool batch that meets its claim waits briefly.
/// </para>
/// </summary>
public sealed class VerifiedTransactions(int capacity)
{
    /// <summary>About ten seconds of transactions at the devnet's peak; a proposal's are a few hundred milliseconds old.</summary>
    public static VerifiedTransactions Shared { get; } = new(65_536);

    private readonly BoundedRecord<Hash32, Transaction?> _byId = new(capacity);

    /// <summary>Records a verified id, and the transaction when the caller has it (so compact proposals can name it).</summary>
    public void Add(in Hash32 id, Transaction? tx = null) => _byId.Add(id, tx, static (known, tx) => known ?? tx);

    public bool Contains(in Hash32 id) => _byId.Contains(id);

    /// <summary>
    /// Forgets the transactions of a committed block. They cannot be needed again: a copy that arrives later is refused
    /// for its nonce before anything verifies it, and a block holding one cannot apply. Kept, each would live here for
    /// the record's whole span (seconds at load), long enough for the collector to move it into the oldest generation
    /// and clean it up only in a full collection.
    /// </summary>
    public void Forget(IReadOnlyList<Transaction> committed) => _byId.Remove(committed.Select(tx => tx.Hash()));

    /// <summary>The verified transaction with this id, when it is still kept; null otherwise.</summary>
    public Transaction? Find(Hash32 id) => _byId.Find(id);

    private readonly ConcurrentDictionary<Hash32, (VerificationClaim Claim, int Index)> _underWay = new();

    /// <summary>
    /// True when the caller must verify <paramref name="id"/>: it is now claimed as entry <paramref name="index"/> of
    /// <paramref name="claim"/>, which the caller must <see cref="Complete"/> or <see cref="Abandon"/>. False when it
    /// needs no work of the caller's: already verified (<paramref name="elsewhere"/> null), or being verified under
    /// another claim, whose result <paramref name="elsewhere"/> gives.
    /// </summary>
    public bool TryClaim(in Hash32 id, VerificationClaim claim, int index, out PendingVerification? elsewhere)
    {
        elsewhere = null;
        if (_byId.Contains(id)) return false;
        var entry = _underWay.GetOrAdd(id, (claim, index));
        if (ReferenceEquals(entry.Claim, claim)) return true;
        elsewhere = new PendingVerification(entry.Claim, entry.Index);
        return false;
    }

    /// <summary>
    /// Verifies what the caller claimed under <paramref name="claim"/> (its messages, ids and transactions by claimed
    /// index) and ends the claim with the results; a verifier that throws abandons the claim and the exception goes on.
    /// </summary>
    public SignatureCheck[] VerifyClaimed(VerificationClaim claim, ReadOnlySpan<SignedMessage> messages, ReadOnlySpan<Hash32> ids,
        ReadOnlySpan<Transaction> txs, SignatureBatchVerifier verify)
    {
        var results = new SignatureCheck[ids.Length];
        try
        {
            if (ids.Length > 0) verify(messages, results);
        }
        catch (Exception e)
        {
            Abandon(claim, ids, e);
            throw;
        }
        Complete(claim, ids, txs, results);
        return results;
    }

    /// <summary>
    /// Ends a claim with its results, one per claimed index: the valid ones are recorded as verified before their
    /// claims are released, so a later look finds one or the other; then every waiter gets its result.
    /// </summary>
    public void Complete(VerificationClaim claim, ReadOnlySpan<Hash32> ids, ReadOnlySpan<Transaction> txs, SignatureCheck[] results)
    {
        for (var i = 0; i < ids.Length; i++)
            if (results[i] == SignatureCheck.Valid) Add(ids[i], txs[i]);
        Release(claim, ids);
        claim.Results.TrySetResult(results);
    }

    /// <summary>Ends a claim whose verification failed; its waiters verify for themselves.</summary>
    public void Abandon(VerificationClaim claim, ReadOnlySpan<Hash32> ids, Exception cause)
    {
        Release(claim, ids);
        claim.Results.TrySetException(cause);
    }

    private void Release(VerificationClaim claim, ReadOnlySpan<Hash32> ids)
    {
        foreach (var id in ids)
            if (_underWay.TryGetValue(id, out var entry) && ReferenceEquals(entry.Claim, claim)) _underWay.TryRemove(id, out _);
    }
}

/// <summary>One batch of verifications under way, claimed in <see cref="VerifiedTransactions"/>.</summary>
public sealed class VerificationClaim
{
    internal TaskCompletionSource<SignatureCheck[]> Results { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A transaction that another claim is verifying: its result once that claim ends, or null when it failed.</summary>
public sealed class PendingVerification(VerificationClaim claim, int index)
{
    public async Task<SignatureCheck?> Result()
    {
        try
        {
            return (await claim.Results.Task.ConfigureAwait(false))[index];
        }
        catch (Exception)
        {
            return null;
        }
    }
}
