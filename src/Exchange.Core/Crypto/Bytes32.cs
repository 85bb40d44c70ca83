using System.Buffers.Binary;

namespace Exchange.Core.Crypto;

/// <summary>
/// 32 bytes held by value in four big-endian words, so that equality is four compares and
/// ordering is the lexicographic order of the bytes (sorted maps over keys and hashes are
/// then the same on every machine).
/// </summary>
public readonly struct Bytes32 : IEquatable<Bytes32>, IComparable<Bytes32>
{
    public const int Length = 32;
    private readonly ulong _w0, _w1, _w2, _w3;

    public Bytes32(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length) throw new ArgumentException($"expected {Length} bytes, got {bytes.Length}", nameof(bytes));
        _w0 = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _w1 = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _w2 = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        _w3 = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
    }

    public static readonly Bytes32 Zero;

    public bool IsZero => (_w0 | _w1 | _w2 | _w3) == 0;

    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _w0);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _w1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _w2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _w3);
    }

    public byte[] ToArray()
    {
        var a = new byte[Length];
        CopyTo(a);
        return a;
    }

    public bool Equals(Bytes32 other) => _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;
    public override bool Equals(object? obj) => obj is Bytes32 b && Equals(b);

    /// <summary>The bytes are already uniformly distributed (hashes, curve points): fold them, no seeded hasher needed.</summary>
    public override int GetHashCode() => (int)(_w0 ^ (_w0 >> 32) ^ _w3);

    public int CompareTo(Bytes32 other)
    {
        var c = _w0.CompareTo(other._w0);
        if (c != 0) return c;
        c = _w1.CompareTo(other._w1);
        if (c != 0) return c;
        c = _w2.CompareTo(other._w2);
        return c != 0 ? c : _w3.CompareTo(other._w3);
    }

    public static bool operator ==(Bytes32 a, Bytes32 b) => a.Equals(b);
    public static bool operator !=(Bytes32 a, Bytes32 b) => !a.Equals(b);

    public string ToHex()
    {
        Span<byte> b = stackalloc byte[Length];
        CopyTo(b);
        return Convert.ToHexStringLower(b);
    }

    public static bool TryParseHex(ReadOnlySpan<char> hex, out Bytes32 value)
    {
        value = default;
        if (hex.Length != Length * 2) return false;
        Span<byte> b = stackalloc byte[Length];
        if (Convert.FromHexString(hex, b, out _, out var written) != System.Buffers.OperationStatus.Done || written != Length) return false;
        value = new Bytes32(b);
        return true;
    }

    public override string ToString() => ToHex();
}
