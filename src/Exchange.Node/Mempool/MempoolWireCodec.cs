using System.Text;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;
using Exchange.Node.Serialization;

namespace Exchange.Node.Mempool;

/// <summary>
/// The canonical binary forms of the mempool's <see cref="IMempoolWireMessage"/>s, built from the
/// ledger codec's primitives, and the manifest of each, for the node's serializer to register.
/// Decoding is as strict as for transactions: a size limit before parsing, bounded counts and
/// lengths, no trailing bytes, and every refusal a typed <see cref="DecodeException"/>.
/// </summary>
public static class MempoolWireCodec
{
    public const string SubmitTxManifest = "mp-submit";
    public const string TxAcceptedManifest = "mp-accepted";
    public const string TxRejectedManifest = "mp-rejected";
    public const string GossipTxsManifest = "mp-gossip";
    public const string SubmitTxsManifest = "mp-submit-many";
    public const string TxsSubmittedManifest = "mp-verdicts";
    public const string GetMempoolStatusManifest = "mp-status?";
    public const string MempoolStatusManifest = "mp-status";

    /// <summary>
    /// A submission may carry more than a transaction's limit, so that an over-long one still reaches
    /// the pool and is answered with <see cref="MempoolError.Oversized"/> instead of vanishing in the
    /// serializer.
    /// </summary>
    public const int MaxSubmittedBytes = 64 * 1024;

    /// <summary>A rejection reason is UTF-8 text of at most this many bytes; longer ones are cut when encoded.</summary>
    public const int MaxReasonBytes = 1_024;

    private const int MaxGossipEncodedLength = 16 + GossipTxs.MaxTransactions * (Transaction.MaxEncodedLength + 2);

    /// <summary>The longest encoded <see cref="SubmitTxs"/>.</summary>
    public const int MaxSubmitTxsEncodedLength = 16 + SubmitTxs.MaxTransactions * (SubmitTxs.MaxItemBytes + 2);

    /// <summary>The longest encoded verdict: hash, code and the longest reason.</summary>
    private const int MaxVerdictLength = 32 + 5 + MaxReasonBytes + 2;

    /// <summary>The longest encoded <see cref="TxsSubmitted"/>.</summary>
    public const int MaxTxsSubmittedEncodedLength = 16 + SubmitTxs.MaxTransactions * MaxVerdictLength;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Every manifest with its decoder.</summary>
    public static IReadOnlyDictionary<string, SpanDecoder<IMempoolWireMessage>> Decoders { get; } =
        new Dictionary<string, SpanDecoder<IMempoolWireMessage>>(StringComparer.Ordinal)
        {
            [SubmitTxManifest] = b => DecodeSubmitTx(b),
            [TxAcceptedManifest] = b => DecodeTxAccepted(b),
            [TxRejectedManifest] = b => DecodeTxRejected(b),
            [GossipTxsManifest] = b => DecodeGossipTxs(b),
            [SubmitTxsManifest] = b => DecodeSubmitTxs(b),
            [TxsSubmittedManifest] = b => DecodeTxsSubmitted(b),
            [GetMempoolStatusManifest] = b => DecodeGetMempoolStatus(b),
            [MempoolStatusManifest] = b => DecodeMempoolStatus(b),
        };

    /// <summary>Decodes a message by its manifest; an unknown manifest is a <see cref="DecodeError.UnknownEnumValue"/>.</summary>
    public static IMempoolWireMessage Decode(string manifest, ReadOnlySpan<byte> bytes) =>
        Decoders.TryGetValue(manifest, out var decode)
            ? decode(bytes)
            : throw new DecodeException(DecodeError.UnknownEnumValue, $"no mempool message has manifest '{manifest}'");

    public static byte[] Encode(SubmitTx m)
    {
        var w = new CanonicalWriter(m.Encoded.Length + 4);
        w.WriteBytes(m.Encoded);
        return w.ToArray();
    }

    public static SubmitTx DecodeSubmitTx(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxSubmittedBytes + 4, "mempool submission",
            static (ref CanonicalReader r) => new SubmitTx(r.ReadBytes("submit.tx", MaxSubmittedBytes).ToArray()));

    public static byte[] Encode(TxAccepted m)
    {
        var w = new CanonicalWriter(32);
        w.WriteHash(m.Hash);
        return w.ToArray();
    }

    public static TxAccepted DecodeTxAccepted(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, 32, "mempool acceptance", static (ref CanonicalReader r) => new TxAccepted(r.ReadHash("accepted.hash")));

    public static byte[] Encode(TxRejected m)
    {
        var w = new CanonicalWriter(64 + m.Reason.Length);
        w.WriteHash(m.Hash);
        w.WriteVarUInt((ulong)m.Code);
        w.WriteBytes(Utf8Prefix(m.Reason, MaxReasonBytes));
        return w.ToArray();
    }

    public static TxRejected DecodeTxRejected(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, 32 + 4 + MaxReasonBytes + 4, "mempool rejection", static (ref CanonicalReader r) =>
        {
            var hash = r.ReadHash("rejected.hash");
            var code = r.ReadVarUInt("rejected.code", int.MaxValue);
            if (code == 0 || !Enum.IsDefined((MempoolError)code))
                throw new DecodeException(DecodeError.UnknownEnumValue, $"rejected.code: {code} is not a mempool error");
            return new TxRejected(hash, (MempoolError)code, Utf8(r.ReadBytes("rejected.reason", MaxReasonBytes), "rejected.reason"));
        });

    /// <summary>Encoded once per message however many peers it goes to; the array returned must not be changed.</summary>
    public static byte[] Encode(GossipTxs m) =>
        m.EncodedOnce(static m => EncodeList(m.Transactions, GossipTxs.MaxTransactions, Transaction.MaxEncodedLength, "gossip"));

    /// <summary>Checks the framing only; each transaction is checked in full by the receiving pool.</summary>
    public static GossipTxs DecodeGossipTxs(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxGossipEncodedLength, "mempool gossip", static (ref CanonicalReader r) =>
            new GossipTxs(ReadList(ref r, "gossip", GossipTxs.MaxTransactions, Transaction.MaxEncodedLength)));

    public static byte[] Encode(SubmitTxs m) => EncodeList(m.Transactions, SubmitTxs.MaxTransactions, SubmitTxs.MaxItemBytes, "batch");

    /// <summary>Checks the framing only; each transaction is judged by the pool, which answers for each.</summary>
    public static SubmitTxs DecodeSubmitTxs(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxSubmitTxsEncodedLength, "mempool batch submission", static (ref CanonicalReader r) =>
            new SubmitTxs(ReadList(ref r, "submit-many", SubmitTxs.MaxTransactions, SubmitTxs.MaxItemBytes)));

    public static byte[] Encode(TxsSubmitted m)
    {
        if (m.Verdicts.Count > SubmitTxs.MaxTransactions)
            throw new ArgumentException($"{m.Verdicts.Count} verdicts exceed the batch limit of {SubmitTxs.MaxTransactions}", nameof(m));
        var w = new CanonicalWriter(16 + m.Verdicts.Sum(v => 40 + v.Reason.Length));
        w.WriteVarUInt((ulong)m.Verdicts.Count);
        foreach (var v in m.Verdicts)
        {
            w.WriteHash(v.Hash);
            w.WriteVarUInt((ulong)v.Error);
            w.WriteBytes(Utf8Prefix(v.Reason, MaxReasonBytes));
        }
        return w.ToArray();
    }

    public static TxsSubmitted DecodeTxsSubmitted(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxTxsSubmittedEncodedLength, "mempool verdicts", static (ref CanonicalReader r) =>
        {
            var verdicts = new TxVerdict[r.ReadLength("verdicts.count", SubmitTxs.MaxTransactions)];
            for (var i = 0; i < verdicts.Length; i++)
            {
                var hash = r.ReadHash("verdict.hash");
                var code = r.ReadVarUInt("verdict.code", int.MaxValue);
                if (!Enum.IsDefined((MempoolError)code))
                    throw new DecodeException(DecodeError.UnknownEnumValue, $"verdict.code: {code} is not a mempool error");
                var reason = Utf8(r.ReadBytes("verdict.reason", MaxReasonBytes), "verdict.reason");
                if (code == 0 && reason.Length > 0)
                    throw new DecodeException(DecodeError.InvalidText, "verdict.reason: an accepted transaction carries no reason");
                verdicts[i] = new TxVerdict(hash, (MempoolError)code, reason);
            }
            return new TxsSubmitted(verdicts);
        });

    private static string Utf8(ReadOnlySpan<byte> bytes, string field)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new DecodeException(DecodeError.InvalidText, $"{field} is not UTF-8");
        }
    }

    public static GetMempoolStatus DecodeGetMempoolStatus(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, 0, "mempool status query", static (ref CanonicalReader _) => GetMempoolStatus.Instance);

    public static byte[] Encode(MempoolStatus m)
    {
        var w = new CanonicalWriter(48);
        w.WriteVarUInt((ulong)m.Count);
        w.WriteVarUInt((ulong)m.Bytes);
        w.WriteVarUInt((ulong)m.Verifying);
        w.WriteVarUInt((ulong)m.Peers);
        w.WriteVarUInt((ulong)m.Accepted);
        w.WriteVarUInt((ulong)m.Rejected);
        w.WriteVarUInt((ulong)m.VerificationBatches);
        return w.ToArray();
    }

    public static MempoolStatus DecodeMempoolStatus(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, 7 * 10, "mempool status", static (ref CanonicalReader r) => new MempoolStatus(
            (int)r.ReadVarUInt("status.count", int.MaxValue),
            (long)r.ReadVarUInt("status.bytes", long.MaxValue),
            (int)r.ReadVarUInt("status.verifying", int.MaxValue),
            (int)r.ReadVarUInt("status.peers", int.MaxValue),
            (long)r.ReadVarUInt("status.accepted", long.MaxValue),
            (long)r.ReadVarUInt("status.rejected", long.MaxValue),
            (long)r.ReadVarUInt("status.batches", long.MaxValue)));

    /// <summary>A counted list of encoded transactions, each length-prefixed; refuses more than the limits allow.</summary>
    private static byte[] EncodeList(IReadOnlyList<byte[]> txs, int maxCount, int maxItemBytes, string what)
    {
        if (txs.Count > maxCount) throw new ArgumentException($"{txs.Count} transactions exceed the {what} limit of {maxCount}", nameof(txs));
        foreach (var tx in txs)
            if (tx.Length > maxItemBytes) throw new ArgumentException($"a {what} item of {tx.Length} bytes exceeds {maxItemBytes}", nameof(txs));
        return ScratchWriter.Encode(txs, static (w, txs) =>
        {
            w.WriteVarUInt((ulong)txs.Count);
            foreach (var tx in txs) w.WriteBytes(tx);
        });
    }

    /// <summary>Reads what <see cref="EncodeList"/> wrote; the framing only, each transaction is the pool's to check.</summary>
    private static byte[][] ReadList(ref CanonicalReader r, string field, int maxCount, int maxItemBytes)
    {
        var txs = new byte[r.ReadLength(field + ".count", maxCount)][];
        for (var i = 0; i < txs.Length; i++) txs[i] = r.ReadBytes(field + ".tx", maxItemBytes).ToArray();
        return txs;
    }

    /// <summary>The longest prefix of <paramref name="text"/> whose UTF-8 form fits <paramref name="maxBytes"/>, never splitting a character.</summary>
    private static byte[] Utf8Prefix(string text, int maxBytes)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length <= maxBytes) return bytes;
        var end = maxBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) end--;
        return bytes[..end];
    }
}
