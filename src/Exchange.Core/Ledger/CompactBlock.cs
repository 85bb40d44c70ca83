using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;

namespace Exchange.Core.Ledger;

/// <summary>
/// A block with each transaction replaced by its id, for sending to peers that already hold the transactions
/// (validators receive them by mempool gossip before the block that carries them is proposed). The receiver puts the
/// block back together from its own transactions and checks it exactly as if it had come whole: the header's
/// transaction root commits to every transaction, so a wrong id or a wrong transaction cannot pass.
/// </summary>
public sealed record CompactBlock(
    BlockHeader Header,
    IReadOnlyList<Hash32> TxIds,
    Commit LastCommit,
    IReadOnlyList<PublicKey> Liquidations,
    IReadOnlyList<EquivocationEvidence> Evidence)
{
    /// <summary>The header, the ids and the rest of a block of at most <see cref="Block.MaxTransactions"/> transactions.</summary>
    public const int MaxEncodedLength = 4 * 1024 + Block.MaxTransactions * 32 + Commit.MaxEncodedLength +
                                        Block.MaxLiquidations * PublicKey.Length + Block.MaxEvidence * EquivocationEvidence.MaxEncodedLength;

    public static CompactBlock Of(Block block) =>
        new(block.Header, [.. block.Transactions.Select(t => t.Hash())], block.LastCommit, block.LiquidationCandidates, block.EvidenceList);

    /// <summary>
    /// The block again, taking each transaction from <paramref name="known"/>; null when some are not known, and
    /// <paramref name="missing"/> counts them. The result still has to pass <see cref="Block.Validate"/>.
    /// </summary>
    public Block? Expand(Func<Hash32, Transaction?> known, out int missing)
    {
        var txs = new Transaction[TxIds.Count];
        missing = 0;
        for (var i = 0; i < txs.Length; i++)
        {
            var tx = known(TxIds[i]);
            if (tx is null || tx.Hash() != TxIds[i]) missing++;
            else txs[i] = tx;
        }
        return missing == 0 ? new Block(Header, txs, LastCommit, Liquidations, Evidence) : null;
    }

    public void WriteTo(CanonicalWriter w)
    {
        Header.WriteTo(w);
        w.WriteVarUInt((ulong)TxIds.Count);
        foreach (var id in TxIds) w.WriteHash(id);
        Block.WriteAfterTransactions(w, LastCommit, Liquidations, Evidence);
    }

    public static CompactBlock Read(ref CanonicalReader r)
    {
        var header = BlockHeader.Read(ref r);
        var ids = new Hash32[r.ReadLength("compact_block.tx_ids", Block.MaxTransactions)];
        for (var i = 0; i < ids.Length; i++) ids[i] = r.ReadHash("compact_block.tx_id");
        var (commit, liquidations, evidence) = Block.ReadAfterTransactions(ref r);
        return new CompactBlock(header, ids, commit, liquidations, evidence);
    }

    public bool Equals(CompactBlock? other) =>
        other is not null && Header == other.Header && LastCommit == other.LastCommit && TxIds.SequenceEqual(other.TxIds) &&
        Liquidations.SequenceEqual(other.Liquidations) && Evidence.SequenceEqual(other.Evidence);

    public override int GetHashCode() => Header.GetHashCode();
}
