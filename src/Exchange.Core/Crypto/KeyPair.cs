using System.Security.Cryptography;

namespace Exchange.Core.Crypto;

/// <summary>Why a secret key was refused.</summary>
public enum KeyError
{
    None = 0,
    /// <summary>Not 32 bytes.</summary>
    WrongLength = 1,
    /// <summary>Zero, or not below the curve order n.</summary>
    OutOfRange = 2,
}

/// <summary>
/// A secp256k1 key pair for BIP340 signing. It keeps the library's precomputed key pair, so
/// signing does not redo the public-key multiplication. Creating one is deterministic in its
/// secret; drawing the secret from entropy is the caller's business (Exchange.Node does it).
/// </summary>
public sealed unsafe class KeyPair
{
    private readonly byte[] _native;

    public PublicKey PublicKey { get; }

    private KeyPair(PublicKey publicKey, byte[] native)
    {
        PublicKey = publicKey;
        _native = native;
    }

    public static bool TryCreate(ReadOnlySpan<byte> secret, out KeyPair? keyPair, out KeyError error)
    {
        keyPair = null;
        if (secret.Length != 32) { error = KeyError.WrongLength; return false; }
        var native = new byte[Secp256k1Native.KeypairSize];
        byte* xonly = stackalloc byte[Secp256k1Native.XOnlyPubkeySize];
        byte* serialized = stackalloc byte[32];
        fixed (byte* kp = native)
        fixed (byte* sk = secret)
        {
            var ctx = Secp256k1Library.Context;
            if (Secp256k1Native.KeypairCreate(ctx, kp, sk) != 1) { error = KeyError.OutOfRange; return false; }
            int parity;
            if (Secp256k1Native.KeypairXOnlyPub(ctx, xonly, &parity, kp) != 1 ||
                Secp256k1Native.XOnlyPubkeySerialize(ctx, serialized, xonly) != 1)
            {
                error = KeyError.OutOfRange;
                return false;
            }
        }
        keyPair = new KeyPair(new PublicKey(new ReadOnlySpan<byte>(serialized, 32)), native);
        error = KeyError.None;
        return true;
    }

    public static KeyPair FromSecret(ReadOnlySpan<byte> secret) =>
        TryCreate(secret, out var kp, out var error) ? kp! : throw new ArgumentException($"invalid secret key: {error}", nameof(secret));

    /// <summary>The 32-byte secret, for writing a key file. Callers must not log or send it.</summary>
    public byte[] ExportSecret()
    {
        var secret = new byte[32];
        fixed (byte* kp = _native)
        fixed (byte* sk = secret)
            if (Secp256k1Native.KeypairSec(Secp256k1Library.Context, sk, kp) != 1)
                throw new CryptographicException("secp256k1_keypair_sec failed");
        return secret;
    }

    /// <summary>
    /// Signs a 32-byte message. <paramref name="auxRand"/> is BIP340's auxiliary randomness (32 bytes):
    /// fresh entropy hardens against side channels, but any value, even zeros, gives a valid signature.
    /// </summary>
    public Signature Sign(in Hash32 message, ReadOnlySpan<byte> auxRand)
    {
        if (auxRand.Length != 32) throw new ArgumentException("auxiliary randomness must be 32 bytes", nameof(auxRand));
        byte* msg = stackalloc byte[32];
        byte* sig = stackalloc byte[Signature.Length];
        message.CopyTo(new Span<byte>(msg, 32));
        fixed (byte* kp = _native)
        fixed (byte* aux = auxRand)
            if (Secp256k1Native.SchnorrSign32(Secp256k1Library.Context, sig, msg, kp, aux) != 1)
                throw new CryptographicException("secp256k1_schnorrsig_sign32 failed");
        return new Signature(new ReadOnlySpan<byte>(sig, Signature.Length));
    }
}
