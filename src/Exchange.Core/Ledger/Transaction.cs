using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;
using Exchange.Core.Ledger.Payloads;

namespace Exchange.Core.Ledger;

/// <summary>
/// The signed envelope of DESIGN.md section 4: {version, chainId, sender, nonce, payload, signature}.
/// The wire form is the canonical encoding of those fields in that order; the signature covers the
/// tagged hash of the chain id and every byte before the signature.
/// </summary>
public sealed record Transaction(byte Version, string ChainId, PublicKey Sender, ulong Nonce, Payload Payload, Signature Signature)
{
    public const byte CurrentVersion = 1;

    /// <summary>No valid transaction comes near this; anything longer is refused before it is parsed.</summary>
    public const int MaxEncodedLength = 1024;

    /// <summary>Domain tag of the signing hash; a signature made for anything else can never verify as a transaction.</summary>
    public const string SigningTag = "exchange/tx/v1";

    /// <summary>
    /// The id and the signing hash, computed once: a node hashes each transaction in its mempool, in the block's
    /// transaction root, in the signature check and again when the block commits. They are not part of the value:
    /// a copy made with <c>with</c> starts without them, and equality ignores them. Each is published as one
    /// reference, so a thread reading it while another computes it sees all 32 bytes or none.
    /// </summary>
    private CachedHash? _hash, _signingHash;

    /// <summary>
    /// The canonical encoding, kept from decoding (decoding accepts only the canonical form, so the bytes read are the
    /// bytes writing would produce) or from the first encoding: a node writes each transaction again into its block,
    /// its consensus WAL and its journal. Like the hashes it is not part of the value and a <c>with</c> copy starts without it.
    /// </summary>
    private byte[]? _encoding;

    private sealed class CachedHash(Hash32 value)
    {
        public readonly Hash32 Value = value;
    }

    private Transaction(Transaction original)
    {
        Version = original.Version;
        ChainId = original.ChainId;
        Sender = original.Sender;
        Nonce = original.Nonce;
        Payload = original.Payload;
        Signature = original.Signature;
    }

    public bool Equals(Transaction? other) =>
        ReferenceEquals(this, other) || (other is not null && Version == other.Version && ChainId == other.ChainId && Sender == other.Sender &&
                                         Nonce == other.Nonce && Payload == other.Payload && Signature == other.Signature);

    /// <summary>Equal transactions carry the same signature; two different ones rarely do.</summary>
    public override int GetHashCode() => Signature.GetHashCode();

    /// <summary>An unsigned transaction, ready for <see cref="SignWith"/>.</summary>
    public static Transaction Create(string chainId, PublicKey sender, ulong nonce, Payload payload) =>
        new(CurrentVersion, chainId, sender, nonce, payload, Signature.Empty);

    /// <summary>The canonical encoding, in a fresh array the caller may keep or change.</summary>
    public byte[] Encode() => Encoding().ToArray();

    /// <summary>The canonical encoding, read-only and without a copy: for writing it into something larger or hashing it.</summary>
    public ReadOnlySpan<byte> Encoded => Encoding();

    public void WriteTo(CanonicalWriter w) => w.WriteEncoded(Encoding());

    private byte[] Encoding()
    {
        if (_encoding is { } known) return known;
        var w = new CanonicalWriter(192);
        WriteUnsigned(w);
        w.WriteSignature(Signature);
        return _encoding = w.ToArray();
    }

    private void WriteUnsigned(CanonicalWriter w)
    {
        w.WriteByte(Version);
        w.WriteText(ChainId, Names.MaxChainIdLength);
        w.WritePublicKey(Sender);
        w.WriteVarUInt(Nonce);
        Payload.Write(w);
    }

    /// <summary>
    /// The 32-byte message the sender signs: a tagged SHA-256 over the chain id (length-prefixed)
    /// and the encoding without the signature. The chain id stands first so that a signature made
    /// on one chain never verifies on another, whatever the rest of the bytes.
    /// </summary>
    public Hash32 SigningHash() => (_signingHash ??= new CachedHash(ComputeSigningHash())).Value;

    private Hash32 ComputeSigningHash()
    {
        if (_encoding is not { } encoded)
        {
            var w = new CanonicalWriter(192);
            w.WriteText(ChainId, Names.MaxChainIdLength);
            WriteUnsigned(w);
            return Hash32.Tagged(SigningTag, w.Written);
        }
        // A decoded transaction already holds both parts of the preimage: its chain id field (right after the version
        // byte; a chain id is under 128 characters, so its length prefix is one byte) and its encoding up to the
        // signature, which is last. A received transaction is hashed from those, without a writer per node.
        var chainIdField = encoded.AsSpan(1, 1 + ChainId.Length);
        var unsigned = encoded.AsSpan(0, encoded.Length - Signature.Length);
        Span<byte> message = stackalloc byte[chainIdField.Length + unsigned.Length];
        chainIdField.CopyTo(message);
        unsigned.CopyTo(message[chainIdField.Length..]);
        return Hash32.Tagged(SigningTag, message);
    }

    /// <summary>The transaction id: SHA-256 of the full encoding, signature included. Mempools de-duplicate on it.</summary>
    public Hash32 Hash() => (_hash ??= new CachedHash(Hash32.Compute(Encoding()))).Value;

    public Transaction SignWith(KeyPair key, ReadOnlySpan<byte> auxRand)
    {
        if (key.PublicKey != Sender) throw new ArgumentException("the key does not belong to the sender", nameof(key));
        return this with { Signature = key.Sign(SigningHash(), auxRand) };
    }

    /// <summary>Verifies the signature for the chain this node runs. A transaction for another chain fails here.</summary>
    public SignatureCheck VerifySignature(string expectedChainId) =>
        ChainId != expectedChainId ? SignatureCheck.InvalidSignature : Schnorr.Verify(Sender, SigningHash(), Signature);

    /// <summary>Stateless checks of the envelope and the payload; signatures are checked separately (and in batches) by the caller.</summary>
    public Validation Validate()
    {
        if (Version != CurrentVersion)
            return Validation.Fail(TxError.UnsupportedVersion, $"transaction version {Version} is not supported (expected {CurrentVersion})");
        if (!Names.IsValidChainId(ChainId))
            return Validation.Fail(TxError.InvalidChainId, "chain id must be 1 to 32 lower-case letters, digits or '-'");
        return Payload.Validate(Sender);
    }

    /// <summary>Decodes exactly one transaction; any deviation from the canonical form is a typed error.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out Transaction? tx, out DecodeException? error) =>
        Decoding.TryDecode(Decode, bytes, out tx, out error);

    /// <summary>Decodes exactly one transaction or throws <see cref="DecodeException"/>.</summary>
    public static Transaction Decode(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxEncodedLength, "transaction", Read);

    /// <summary>
    /// Decodes exactly one transaction from an array it keeps as its encoding instead of copying it: for a caller that
    /// received the array and hands it over for good (a mempool keeps each transaction's bytes for gossip and blocks;
    /// a copy per node and transaction was garbage the collector had to promote). Nobody may change the array after.
    /// </summary>
    public static bool TryDecodeOwned(byte[] bytes, out Transaction? tx, out DecodeException? error)
    {
        if (!Decoding.TryDecode(static b => Decoding.Exactly(b, MaxEncodedLength, "transaction", ReadFields), bytes, out tx, out error)) return false;
        tx!._encoding = bytes;
        return true;
    }

    internal static Transaction Read(ref CanonicalReader r)
    {
        var start = r.Position;
        var tx = ReadFields(ref r);
        tx._encoding = r.ReadSince(start).ToArray();
        return tx;
    }

    /// <summary>The fields, without keeping the bytes they came from.</summary>
    private static Transaction ReadFields(ref CanonicalReader r)
    {
        var version = r.ReadByte("tx.version");
        if (version != CurrentVersion) throw new DecodeException(DecodeError.UnknownVersion, $"transaction version {version}");
        var chainId = r.ReadText("tx.chain_id", Names.MaxChainIdLength);
        var sender = r.ReadPublicKey("tx.sender");
        var nonce = r.ReadVarUInt("tx.nonce");
        var payload = Payload.Read(ref r);
        var signature = r.ReadSignature("tx.signature");
        return new Transaction(version, chainId, sender, nonce, payload, signature);
    }
}
