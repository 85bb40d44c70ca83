using System.Runtime.InteropServices;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Node.Crypto;

namespace Exchange.Node.Application;

/// <summary>
/// The signature half of judging a proposal: every transaction the process has not verified yet. The mempool may
/// have verified some since the block was looked at (a proposal filled from its queue): those are skipped. It may be
/// verifying others right now, in a batch on the thread pool: those are waited for, not verified a second time (at
/// the devnet's peak such repeats were an eighth of all verifications). The rest are claimed and verified here, a
/// chunk at a time: a mempool batch that meets a claimed one waits for it, and so waits for one chunk, not for the
/// whole proposal (which at the peak holds thousands), while the chunks not claimed yet are free for it to take.
/// </summary>
internal static class ProposalSignatures
{
    /// <summary>Transactions claimed and verified at a time, so a mempool batch that meets one of them waits briefly.</summary>
    public const int ChunkSize = 32;

    public static async Task<bool> VerifyAsync(IReadOnlyList<(Transaction Tx, Hash32 Id)> unverified, VerifiedTransactions record,
        SignatureBatchVerifier verify)
    {
        List<(Transaction Tx, PendingVerification Pending)>? underWay = null;
        var ids = new List<Hash32>(ChunkSize);
        var txs = new List<Transaction>(ChunkSize);
        for (var start = 0; start < unverified.Count; start += ChunkSize)
        {
            var claim = new VerificationClaim();
            ids.Clear();
            txs.Clear();
            for (var i = start; i < Math.Min(start + ChunkSize, unverified.Count); i++)
            {
                var (tx, id) = unverified[i];
                if (record.TryClaim(id, claim, ids.Count, out var pending))
                {
                    ids.Add(id);
                    txs.Add(tx);
                }
                else if (pending is not null) (underWay ??= []).Add((tx, pending));
            }
            var results = record.VerifyClaimed(claim, txs.Select(tx => new SignedMessage(tx)).ToArray(), CollectionsMarshal.AsSpan(ids),
                CollectionsMarshal.AsSpan(txs), verify);
            if (Array.Exists(results, r => r != SignatureCheck.Valid)) return false;
        }
        foreach (var (tx, pending) in underWay ?? [])
        {
            // A batch that failed (the verifier threw) leaves its transactions to be checked here after all.
            if ((await pending.Result().ConfigureAwait(false) ?? verify.VerifyOne(new SignedMessage(tx))) != SignatureCheck.Valid) return false;
        }
        return true;
    }
}
