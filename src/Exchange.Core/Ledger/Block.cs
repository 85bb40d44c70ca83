using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;

namespace Exchange.Core.Ledger;

/// <summary>Why a block fails its stateless checks.</summary>
public enum BlockError
{
    None = 0,
    InvalidHeight = 1,
    InvalidChainId = 2,
    TxRootMismatch = 3,
    TooManyTransactions = 4,
    TransactionForOtherChain = 5,
    InvalidTransaction = 6,
    LastCommitMismatch = 7,
    LiquidationsHashMismatch = 8,
    /// <summary>More than <see cref="Block.MaxEvidence"/> pieces of evidence.</summary>
    TooMuchEvidence = 9,
    /// <summary>Evidence that fails its own checks, or two pieces for one offence, or not in offence order.</summary>
    InvalidEvidence = 10,
    EvidenceHashMismatch = 11,
}

/// <summary>The outcome of <see cref="Block.Validate"/>; <see cref="TxIndex"/> names the offending transaction (or, for evidence errors, the piece of evidence), or -1.</summary>
public readonly record struct BlockValidation(BlockError Error, string Message, int TxIndex = -1)
{
    public static readonly BlockValidation Ok = new(BlockError.None, "");
    public bool IsValid => Error == BlockError.None;
}

/// <summary>
/// A block: its header, its ordered transactions, and the commit that finalized the previous block
/// (empty at height 1). The header commits to the transactions through <see cref="BlockHeader.TxRoot"/>, to the
/// liquidation candidates through <see cref="BlockHeader.LiquidationsHash"/> and to the equivocation evidence through
/// <see cref="BlockHeader.EvidenceHash"/>.
/// </summary>
public sealed record Block(
    BlockHeader Header,
    IReadOnlyList<Transaction> Transactions,
    Commit LastCommit,
    IReadOnlyList<PublicKey>? Liquidations = null,
    IReadOnlyList<EquivocationEvidence>? Evidence = null)
{
    public const int MaxTransactions = 10_000;
    public const int MaxLiquidations = 1_000;
    public const string LiquidationsTag = "exchange/liquidations/v1";

    /// <summary>
    /// Evidence per block: a denial-of-service bound (at most 64 × 320 bytes and 128 signature checks per block). A
    /// proposer with more pending evidence includes the oldest offences first and the rest in later blocks.
    /// </summary>
    public const int MaxEvidence = 64;
    public const string EvidenceTag = "exchange/evidence/v1";

    /// <summary>Equivocation evidence the proposer included, strictly ordered by offence; the state machine slashes each offence once.</summary>
    public IReadOnlyList<EquivocationEvidence> EvidenceList => Evidence ?? [];

    /// <summary>The hash of an evidence list, for <see cref="BlockHeader.EvidenceHash"/>; zero for none.</summary>
    public static Hash32 ComputeEvidenceHash(IReadOnlyList<EquivocationEvidence> evidence)
    {
        if (evidence.Count == 0) return Hash32.Zero;
        var w = new CanonicalWriter(8 + evidence.Count * EquivocationEvidence.MaxEncodedLength);
        w.WriteVarUInt((ulong)evidence.Count);
        foreach (var e in evidence) e.WriteTo(w);
        return Hash32.Tagged(EvidenceTag, w.Written);
    }

    /// <summary>Accounts the proposer's margin engine found under maintenance; the state machine re-checks each.</summary>
    public IReadOnlyList<PublicKey> LiquidationCandidates => Liquidations ?? [];

    /// <summary>The hash of a candidate list, for <see cref="BlockHeader.LiquidationsHash"/>; zero for none.</summary>
    public static Hash32 ComputeLiquidationsHash(IReadOnlyList<PublicKey> candidates)
    {
        if (candidates.Count == 0) return Hash32.Zero;
        var w = new CanonicalWriter(8 + candidates.Count * 32);
        foreach (var key in candidates) w.WritePublicKey(key);
        return Hash32.Tagged(LiquidationsTag, w.Written);
    }
    public const int MaxEncodedLength = 16 * 1024 * 1024;

    public Hash32 Hash() => Header.Hash();

    /// <summary>The Merkle root over the transactions' encodings, for <see cref="BlockHeader.TxRoot"/>.</summary>
    public static Hash32 ComputeTxRoot(IReadOnlyList<Transaction> transactions)
    {
        var leaves = new Hash32[transactions.Count];
        for (var i = 0; i < leaves.Length; i++) leaves[i] = MerkleTree.LeafHash(transactions[i].Encoded);
        return MerkleTree.Root(leaves);
    }

    /// <summary>
    /// Stateless checks: height, chain, transaction count, the tx root, every transaction's own
    /// stateless rules and chain, that the carried commit is for the previous height, and that the evidence is
    /// within its bound, well formed, one piece per offence in offence order, and matches the header. Signatures,
    /// the commit's voting power and whether evidence accuses a validator need the validator set and state, and are
    /// checked by the caller (<c>ExchangeState.ValidateEvidence</c> for evidence).
    /// </summary>
    public BlockValidation Validate()
    {
        if (Header.Height == 0) return new(BlockError.InvalidHeight, "block height starts at 1");
        if (!Names.IsValidChainId(Header.ChainId)) return new(BlockError.InvalidChainId, "invalid chain id in header");
        if (Transactions.Count > MaxTransactions)
            return new(BlockError.TooManyTransactions, $"{Transactions.Count} transactions exceed the limit of {MaxTransactions}");
        if (ComputeTxRoot(Transactions) != Header.TxRoot) return new(BlockError.TxRootMismatch, "the header's tx root does not match the transactions");
        if (LiquidationCandidates.Count > MaxLiquidations) return new(BlockError.TooManyTransactions, $"{LiquidationCandidates.Count} liquidation candidates exceed {MaxLiquidations}");
        if (ComputeLiquidationsHash(LiquidationCandidates) != Header.LiquidationsHash)
            return new(BlockError.LiquidationsHashMismatch, "the header's liquidations hash does not match the candidates");
        if (ValidateEvidenceList() is { IsValid: false } evidence) return evidence;
        if (Header.Height == 1 ? !LastCommit.IsEmpty : LastCommit.Height != Header.Height - 1 || LastCommit.BlockHash != Header.PrevBlockHash)
            return new(BlockError.LastCommitMismatch, "the carried commit is not for the previous block");
        if (Header.LastCommitHash != (LastCommit.IsEmpty ? Hash32.Zero : LastCommit.Hash()))
            return new(BlockError.LastCommitMismatch, "the header's last commit hash does not match the carried commit");
        for (var i = 0; i < Transactions.Count; i++)
        {
            var tx = Transactions[i];
            if (tx.ChainId != Header.ChainId)
                return new(BlockError.TransactionForOtherChain, $"transaction for chain '{tx.ChainId}' in a block of '{Header.ChainId}'", i);
            var v = tx.Validate();
            if (!v.IsValid) return new(BlockError.InvalidTransaction, v.ToString(), i);
        }
        return BlockValidation.Ok;
    }

    private BlockValidation ValidateEvidenceList()
    {
        var evidence = EvidenceList;
        if (evidence.Count > MaxEvidence) return new(BlockError.TooMuchEvidence, $"{evidence.Count} pieces of evidence exceed {MaxEvidence}");
        for (var i = 0; i < evidence.Count; i++)
        {
            var v = evidence[i].Validate();
            if (!v.IsValid) return new(BlockError.InvalidEvidence, v.ToString(), i);
            if (i > 0 && evidence[i].Offence.CompareTo(evidence[i - 1].Offence) <= 0)
                return new(BlockError.InvalidEvidence, $"{EvidenceError.DuplicateInBlock}: evidence must be strictly ordered by offence, one piece each", i);
        }
        if (ComputeEvidenceHash(evidence) != Header.EvidenceHash)
            return new(BlockError.EvidenceHashMismatch, "the header's evidence hash does not match the evidence");
        return BlockValidation.Ok;
    }

    public byte[] Encode()
    {
        var w = new CanonicalWriter(EncodedLengthEstimate());
        WriteTo(w);
        return w.ToArray();
    }

    /// <summary>Writes <see cref="Encode"/>'s bytes, without the array.</summary>
    public void WriteTo(CanonicalWriter w)
    {
        Header.WriteTo(w);
        w.WriteVarUInt((ulong)Transactions.Count);
        foreach (var t in Transactions) w.WriteBytes(t.Encoded);
        WriteAfterTransactions(w, LastCommit, LiquidationCandidates, EvidenceList);
    }

    /// <summary>
    /// A little more than the encoding takes, so a writer sized by it never grows: a block of a thousand orders is a few
    /// hundred kilobytes, and every doubling on the way there would be a large-object allocation.
    /// </summary>
    public int EncodedLengthEstimate()
    {
        long length = 1024 + LastCommit.Signatures.Count * 256L + LiquidationCandidates.Count * (long)PublicKey.Length
            + EvidenceList.Count * 512L;
        foreach (var t in Transactions) length += t.Encoded.Length + 3;
        return (int)Math.Min(length, MaxEncodedLength + 1024L);
    }

    /// <summary>What follows the transactions, in a block and in a <see cref="CompactBlock"/> alike.</summary>
    internal static void WriteAfterTransactions(CanonicalWriter w, Commit lastCommit, IReadOnlyList<PublicKey> liquidations,
        IReadOnlyList<EquivocationEvidence> evidence)
    {
        lastCommit.WriteTo(w);
        w.WriteVarUInt((ulong)liquidations.Count);
        foreach (var key in liquidations) w.WritePublicKey(key);
        w.WriteVarUInt((ulong)evidence.Count);
        foreach (var e in evidence) e.WriteTo(w);
    }

    /// <summary>Reads what <see cref="WriteAfterTransactions"/> wrote, refusing evidence out of offence order.</summary>
    internal static (Commit LastCommit, PublicKey[] Liquidations, EquivocationEvidence[] Evidence) ReadAfterTransactions(ref CanonicalReader r)
    {
        var commit = Commit.Read(ref r);
        var liquidations = new PublicKey[r.ReadLength("block.liquidations", MaxLiquidations)];
        for (var i = 0; i < liquidations.Length; i++) liquidations[i] = r.ReadPublicKey("block.liquidation");
        var evidence = new EquivocationEvidence[r.ReadLength("block.evidence", MaxEvidence)];
        for (var i = 0; i < evidence.Length; i++)
        {
            evidence[i] = EquivocationEvidence.Read(ref r);
            if (i > 0 && evidence[i].Offence.CompareTo(evidence[i - 1].Offence) <= 0)
                throw new DecodeException(DecodeError.NonCanonicalOrder, "block evidence must be strictly ordered by offence, one piece each");
        }
        return (commit, liquidations, evidence);
    }

    public static Block Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxEncodedLength)
            throw new DecodeException(DecodeError.MessageTooLarge, $"block of {bytes.Length} bytes exceeds {MaxEncodedLength}");
        var r = new CanonicalReader(bytes);
        var header = BlockHeader.Read(ref r);
        var count = r.ReadLength("block.transactions", MaxTransactions);
        var transactions = new Transaction[count];
        for (var i = 0; i < count; i++) transactions[i] = Transaction.Decode(r.ReadBytes("block.transaction", Transaction.MaxEncodedLength));
        var (commit, liquidations, evidence) = ReadAfterTransactions(ref r);
        r.EnsureEnd("block");
        return new Block(header, transactions, commit, liquidations, evidence);
    }

    public static bool TryDecode(ReadOnlySpan<byte> bytes, out Block? block, out DecodeException? error) =>
        Decoding.TryDecode(Decode, bytes, out block, out error);

    public bool Equals(Block? other) =>
        other is not null && Header == other.Header && LastCommit == other.LastCommit && Transactions.SequenceEqual(other.Transactions) &&
        LiquidationCandidates.SequenceEqual(other.LiquidationCandidates) && EvidenceList.SequenceEqual(other.EvidenceList);

    public override int GetHashCode() => Header.GetHashCode();
}
