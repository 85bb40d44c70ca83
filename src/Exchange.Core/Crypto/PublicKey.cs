namespace Exchange.Core.Crypto;

/// <summary>
/// A BIP340 x-only public key: 32 bytes, the x coordinate of a secp256k1 point with even y.
/// Any 32 bytes can be held; whether they name a point on the curve is decided by the native
/// library when the key is used (<see cref="Schnorr.IsValidPublicKey"/>).
/// </summary>
public readonly record struct PublicKey(Bytes32 Bytes) : IComparable<PublicKey>
{
    public const int Length = 32;

    public PublicKey(ReadOnlySpan<byte> bytes) : this(new Bytes32(bytes)) { }

    public int CompareTo(PublicKey other) => Bytes.CompareTo(other.Bytes);
    public void CopyTo(Span<byte> destination) => Bytes.CopyTo(destination);
    public byte[] ToArray() => Bytes.ToArray();
    public override string ToString() => Bytes.ToHex();

    public static bool TryParseHex(ReadOnlySpan<char> hex, out PublicKey value)
    {
        var ok = Bytes32.TryParseHex(hex, out var b);
        value = new PublicKey(b);
        return ok;
    }
}
