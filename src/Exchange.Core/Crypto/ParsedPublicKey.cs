using System.Runtime.CompilerServices;

namespace Exchange.Core.Crypto;

/// <summary>
/// A public key as libsecp256k1 holds it once parsed (its <c>secp256k1_xonly_pubkey</c>, 64 opaque bytes). Parsing
/// lifts the x coordinate to a curve point with a field square root, about an eighth of a verification; a caller that
/// checks many signatures by the same key parses it once (<see cref="Schnorr.TryParse"/>) and verifies with this.
/// </summary>
public readonly struct ParsedPublicKey
{
    private readonly Storage _native;

    internal ParsedPublicKey(in PublicKey key, ReadOnlySpan<byte> native)
    {
        if (native.Length != Secp256k1Native.XOnlyPubkeySize)
            throw new ArgumentException($"a parsed key is {Secp256k1Native.XOnlyPubkeySize} bytes, not {native.Length}", nameof(native));
        native.CopyTo(_native);
        Key = key;
        IsParsed = true;
    }

    /// <summary>The key it was parsed from.</summary>
    public PublicKey Key { get; }

    /// <summary>False for the default value, which holds no key (the library must never see it).</summary>
    public bool IsParsed { get; }

    internal void CopyTo(Span<byte> destination) => ((ReadOnlySpan<byte>)_native).CopyTo(destination);

    [InlineArray(Secp256k1Native.XOnlyPubkeySize)]
    private struct Storage
    {
        private byte _first;
    }
}
