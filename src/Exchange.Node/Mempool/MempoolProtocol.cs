using Akka.Actor;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Node.Mempool;

/// <summary>
/// A mempool message that crosses the network (gateway to node, node to node): it has a short
/// manifest and a canonical binary form, so the node's codec-based Akka serializer can carry it.
/// <see cref="MempoolWireCodec"/> maps manifests back to decoders.
/// </summary>
public interface IMempoolWireMessage
{
    /// <summary>Names the message type on the wire; stable across versions of the node.</summary>
    string Manifest { get; }

    /// <summary>The canonical encoding (Exchange.Core.Ledger.Codec primitives).</summary>
    byte[] Encode();
}

/// <summary>Asks the mempool to take one encoded transaction. Answered by <see cref="TxAccepted"/> or <see cref="TxRejected"/>.</summary>
public sealed record SubmitTx(byte[] Encoded) : IMempoolWireMessage
{
    string IMempoolWireMessage.Manifest => MempoolWireCodec.SubmitTxManifest;
    public byte[] Encode() => MempoolWireCodec.Encode(this);
}

/// <summary>The transaction is pending in the pool (not yet in a block) under this id.</summary>
public sealed record TxAccepted(Hash32 Hash) : IMempoolWireMessage
{
    string IMempoolWireMessage.Manifest => MempoolWireCodec.TxAcceptedManifest;
    public byte[] Encode() => MempoolWireCodec.Encode(this);
}

/// <summary>The transaction was refused and nothing changed. <see cref="Hash"/> is zero when the bytes were too long to look at.</summary>
public sealed record TxRejected(Hash32 Hash, MempoolError Code, string Reason) : IMempoolWireMessage
{
    string IMempoolWireMessage.Manifest => MempoolWireCodec.TxRejectedManifest;
    public byte[] Encode() => MempoolWireCodec.Encode(this);
    public override string ToString() => $"TxRejected {Code} ({(int)Code}): {Reason}";
}

/// <summary>
/// Asks the mempool to take several encoded transactions at once (a gateway's or a market maker's
/// burst), in this order: a sender's consecutive nonces may travel in one batch. Answered by one
/// <see cref="TxsSubmitted"/> once every one of them is admitted or refused; each is judged exactly as
/// if it came alone in a <see cref="SubmitTx"/>.
/// </summary>
public sealed record SubmitTxs(IReadOnlyList<byte[]> Transactions) : IMempoolWireMessage
{
    /// <summary>Most transactions in one batch.</summary>
    public const int MaxTransactions = 1_024;

    /// <summary>
    /// Longest item: above a transaction's limit, so an over-long one is still answered with
    /// <see cref="MempoolError.Oversized"/> instead of failing the whole batch in the serializer.
    /// </summary>
    public const int MaxItemBytes = 4 * 1024;

    string IMempoolWireMessage.Manifest => MempoolWireCodec.SubmitTxsManifest;
    public byte[] Encode() => MempoolWireCodec.Encode(this);
}

/// <summary>The verdict on one transaction of a <see cref="SubmitTxs"/>: accepted when <see cref="Error"/> is <see cref="MempoolError.None"/>.</summary>
public readonly record struct TxVerdict(Hash32 Hash, MempoolError Error, string Reason)
{
    public bool IsAccepted => Error == MempoolError.None;

    public override string ToString() => IsAccepted ? $"accepted {Hash}" : $"{Error} ({(int)Error}): {Reason}";
}

/// <summary>The answer to a <see cref="SubmitTxs"/>: one verdict per transaction, in the order submitted.</summary>
public sealed record TxsSubmitted(IReadOnlyList<TxVerdict> Verdicts) : IMempoolWireMessage
{
    string IMempoolWireMessage.Manifest => MempoolWireCodec.TxsSubmittedManifest;
    public byte[] Encode() => MempoolWireCodec.Encode(this);
}

/// <summary>
/// Transactions a peer's mempool admitted, in its admission order, for this one to check and take.
/// Not answered: a peer that already holds one (or refuses it) drops it quietly. Only transactions
/// clients submitted are gossiped, so gossip is never relayed.
/// </summary>
public sealed record GossipTxs(IReadOnlyList<byte[]> Transactions) : IMempoolWireMessage
{
    /// <summary>Most transactions in one message; the sender also keeps each message under its byte budget.</summary>
    public const int MaxTransactions = 1_024;

    /// <summary>
    /// The encoding, made once: one message goes to every peer, and each peer's connection serializes it on its own
    /// thread. Two threads may both encode it; they make equal arrays and either may stay. Not part of the value.
    /// </summary>
    private byte[]? _encoded;

    string IMempoolWireMessage.Manifest => MempoolWireCodec.GossipTxsManifest;
    public byte[] Encode() => MempoolWireCodec.Encode(this);

    /// <summary>The encoding <paramref name="encode"/> makes, kept after the first call. Callers must not change the array.</summary>
    internal byte[] EncodedOnce(Func<GossipTxs, byte[]> encode)
    {
        if (Volatile.Read(ref _encoded) is { } kept) return kept;
        kept = encode(this);
        Volatile.Write(ref _encoded, kept);
        return kept;
    }

    /// <summary>Equal when they carry the same transactions' bytes in the same order.</summary>
    public bool Equals(GossipTxs? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other.Transactions.Count != Transactions.Count) return false;
        for (var i = 0; i < Transactions.Count; i++)
            if (!Transactions[i].AsSpan().SequenceEqual(other.Transactions[i])) return false;
        return true;
    }

    public override int GetHashCode() => Transactions.Count;
}

/// <summary>Asks for a <see cref="MempoolStatus"/>.</summary>
public sealed record GetMempoolStatus : IMempoolWireMessage
{
    public static readonly GetMempoolStatus Instance = new();
    string IMempoolWireMessage.Manifest => MempoolWireCodec.GetMempoolStatusManifest;
    public byte[] Encode() => [];
}

/// <summary>The pool's size now, and counts since the actor started.</summary>
/// <param name="Count">Transactions pending.</param>
/// <param name="Bytes">Their encoded size.</param>
/// <param name="Verifying">Submissions waiting for or in signature verification.</param>
/// <param name="Peers">Peer mempools gossiped to.</param>
/// <param name="Accepted">Submissions admitted (from clients and from gossip).</param>
/// <param name="Rejected">Submissions refused, for any reason.</param>
/// <param name="VerificationBatches">Signature batches run.</param>
public sealed record MempoolStatus(int Count, long Bytes, int Verifying, int Peers, long Accepted, long Rejected, long VerificationBatches) : IMempoolWireMessage
{
    string IMempoolWireMessage.Manifest => MempoolWireCodec.MempoolStatusManifest;
    public byte[] Encode() => MempoolWireCodec.Encode(this);
}

/// <summary>The proposer asks for transactions for its next block; answered by one <see cref="Batch"/>. Local only.</summary>
/// <param name="RequestId">Echoed in the answer, so an asker that stopped waiting can tell a late answer from the one it waits for.</param>
/// <param name="WaitForFirst">
/// With nothing to hand over, how long the mempool may hold the request: it answers as soon as a transaction it can hand
/// over is admitted, or with an empty batch once this is over. Zero answers at once. A newer request answers a held one
/// empty at once: a proposer wants only its latest round's batch.
/// </param>
public sealed record ReapBatch(int MaxTransactions, long MaxBytes, long RequestId = 0, TimeSpan WaitForFirst = default);

/// <summary>
/// Pending transactions, oldest first, each sender's in consecutive nonces from its committed nonce + 1.
/// They stay in the pool until a block commits them.
/// </summary>
/// <param name="RequestId">The <see cref="ReapBatch.RequestId"/> this answers.</param>
public sealed record Batch(IReadOnlyList<Transaction> Transactions, long Bytes, long RequestId = 0);

/// <summary>
/// A block is committed and applied: the pool drops its transactions and re-checks the rest against
/// <see cref="Committed"/>, the state after it. The view must not change once sent (see
/// <see cref="IAccountView"/>; <see cref="AccountSnapshot.Capture"/> makes one). Local only.
/// </summary>
public sealed record BlockCommitted(Block Block, IAccountView Committed);

/// <summary>
/// A validator holds a compact proposal naming transactions it has not verified; under load they are nearly always
/// ones that came by gossip just before the proposal and still wait in this mempool's verification queue. The mempool
/// answers at once with <see cref="TxsFound"/>: its copies of them, pending or still waiting, so the validator can put
/// the proposal together without fetching the whole block from the proposer (the application verifies what needs it
/// before the block is judged). Local only.
/// </summary>
/// <param name="RequestId">Echoed in the answer.</param>
public sealed record FindTxs(IReadOnlyList<Hash32> Ids, long RequestId);

/// <summary>
/// The answer to <see cref="FindTxs"/>: the transactions found, in no particular order, and how many of the ids this
/// mempool does not hold at all. When <paramref name="Unknown"/> is not zero nothing is sent: the block has to come
/// from the proposer anyway.
/// </summary>
public sealed record TxsFound(long RequestId, IReadOnlyList<Transaction> Transactions, int Unknown);

/// <summary>The committed state the ledger recovered to, before any new block: the pool re-checks what it holds against it.</summary>
public sealed record CommittedView(IAccountView Committed);

/// <summary>The peer mempools to gossip to from now on (this actor itself is ignored if listed). Local only.</summary>
public sealed record PeersChanged(IReadOnlyList<IActorRef> Peers);
