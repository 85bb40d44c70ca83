namespace Exchange.Core.Crypto;

/// <summary>Why a signature did or did not verify.</summary>
public enum SignatureCheck
{
    Valid = 0,
    /// <summary>The key bytes are not the x coordinate of a point on secp256k1.</summary>
    InvalidPublicKey = 1,
    /// <summary>The signature does not verify for this key and message (including r ≥ p or s ≥ n).</summary>
    InvalidSignature = 2,
}

/// <summary>BIP340 Schnorr verification through the native libsecp256k1. Thread-safe.</summary>
public static unsafe class Schnorr
{
    /// <summary>True when the bytes name a point on the curve.</summary>
    public static bool IsValidPublicKey(in PublicKey key)
    {
        byte* parsed = stackalloc byte[Secp256k1Native.XOnlyPubkeySize];
        return Parse(key, parsed);
    }

    public static SignatureCheck Verify(in PublicKey key, in Hash32 message, in Signature signature)
    {
        byte* msg = stackalloc byte[32];
        message.CopyTo(new Span<byte>(msg, 32));
        return Verify(key, new ReadOnlySpan<byte>(msg, 32), signature);
    }

    /// <summary>Verifies a signature over a message of any length (BIP340 allows variable-length messages).</summary>
    public static SignatureCheck Verify(in PublicKey key, ReadOnlySpan<byte> message, in Signature signature)
    {
        byte* parsed = stackalloc byte[Secp256k1Native.XOnlyPubkeySize];
        if (!Parse(key, parsed)) return SignatureCheck.InvalidPublicKey;
        byte* sig = stackalloc byte[Signature.Length];
        signature.CopyTo(new Span<byte>(sig, Signature.Length));
        // An empty span may have a null pointer; the library needs a valid one even for length 0.
        byte dummy = 0;
        fixed (byte* m = message)
        {
            var ok = Secp256k1Native.SchnorrVerify(Secp256k1Library.Context, sig, m == null ? &dummy : m, (nuint)message.Length, parsed);
            return ok == 1 ? SignatureCheck.Valid : SignatureCheck.InvalidSignature;
        }
    }

    /// <summary>
    /// Parses <paramref name="key"/> once for many verifications; false when it is not the x coordinate of a curve point
    /// (every signature by it would be <see cref="SignatureCheck.InvalidPublicKey"/>).
    /// </summary>
    public static bool TryParse(in PublicKey key, out ParsedPublicKey parsed)
    {
        byte* native = stackalloc byte[Secp256k1Native.XOnlyPubkeySize];
        if (!Parse(key, native))
        {
            parsed = default;
            return false;
        }
        parsed = new ParsedPublicKey(key, new ReadOnlySpan<byte>(native, Secp256k1Native.XOnlyPubkeySize));
        return true;
    }

    /// <summary>
    /// <see cref="Verify(in PublicKey, in Hash32, in Signature)"/> with the key already parsed: the same verdict for every
    /// signature, without the square root. A default (never parsed) key is refused as invalid.
    /// </summary>
    public static SignatureCheck Verify(in ParsedPublicKey key, in Hash32 message, in Signature signature)
    {
        if (!key.IsParsed) return SignatureCheck.InvalidPublicKey;
        byte* parsed = stackalloc byte[Secp256k1Native.XOnlyPubkeySize];
        key.CopyTo(new Span<byte>(parsed, Secp256k1Native.XOnlyPubkeySize));
        byte* msg = stackalloc byte[32];
        message.CopyTo(new Span<byte>(msg, 32));
        byte* sig = stackalloc byte[Signature.Length];
        signature.CopyTo(new Span<byte>(sig, Signature.Length));
        return Secp256k1Native.SchnorrVerify(Secp256k1Library.Context, sig, msg, 32, parsed) == 1 ? SignatureCheck.Valid : SignatureCheck.InvalidSignature;
    }

    private static bool Parse(in PublicKey key, byte* parsed)
    {
        byte* raw = stackalloc byte[32];
        key.CopyTo(new Span<byte>(raw, 32));
        return Secp256k1Native.XOnlyPubkeyParse(Secp256k1Library.Context, parsed, raw) == 1;
    }
}
