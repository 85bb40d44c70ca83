namespace Exchange.Core.Crypto;

/// <summary>A 64-byte BIP340 Schnorr signature: the nonce point's x coordinate R, then the scalar s.</summary>
public readonly record struct Signature(Bytes32 R, Bytes32 S)
{
    public const int Length = 64;

    public static readonly Signature Empty = default;

    public Signature(ReadOnlySpan<byte> bytes) : this(ReadHalf(bytes, 0), ReadHalf(bytes, 32)) { }

    private static Bytes32 ReadHalf(ReadOnlySpan<byte> bytes, int offset)
    {
        if (bytes.Length != Length) throw new ArgumentException($"expected {Length} bytes, got {bytes.Length}", nameof(bytes));
        return new Bytes32(bytes.Slice(offset, 32));
    }

    public void CopyTo(Span<byte> destination)
    {
        R.CopyTo(destination);
        S.CopyTo(destination[32..]);
    }

    public byte[] ToArray()
    {
        var a = new byte[Length];
        CopyTo(a);
        return a;
    }

    public string ToHex() => R.ToHex() + S.ToHex();
    public override string ToString() => ToHex();

    public static bool TryParseHex(ReadOnlySpan<char> hex, out Signature value)
    {
        value = default;
        if (hex.Length != Length * 2) return false;
        if (!Bytes32.TryParseHex(hex[..64], out var r) || !Bytes32.TryParseHex(hex[64..], out var s)) return false;
        value = new Signature(r, s);
        return true;
    }
}
