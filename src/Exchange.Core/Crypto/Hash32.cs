using System.Security.Cryptography;
using System.Text;

namespace Exchange.Core.Crypto;

/// <summary>A SHA-256 digest.</summary>
public readonly record struct Hash32(Bytes32 Bytes) : IComparable<Hash32>
{
    public static readonly Hash32 Zero = default;

    public Hash32(ReadOnlySpan<byte> bytes) : this(new Bytes32(bytes)) { }

    public static Hash32 Compute(ReadOnlySpan<byte> data)
    {
        Span<byte> d = stackalloc byte[32];
        Sha256.Hash(data, d);
        return new Hash32(d);
    }

    /// <summary>
    /// BIP340-style tagged hash: SHA-256(SHA-256(tag) || SHA-256(tag) || data). Distinct tags give
    /// unrelated hash functions, so a digest made for one purpose can never stand for another.
    /// </summary>
    public static Hash32 Tagged(string tag, ReadOnlySpan<byte> data)
    {
        Span<byte> tagHash = stackalloc byte[32];
        TagHash(tag).CopyTo(tagHash);
        Span<byte> d = stackalloc byte[32];
        Sha256.Hash(tagHash, tagHash, data, d);
        return new Hash32(d);
    }

    // Tags are a handful of constants; their hashes are computed once. Only looked up, never iterated.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Hash32> s_tags = new(StringComparer.Ordinal);

    private static Hash32 TagHash(string tag) => s_tags.GetOrAdd(tag, static t => Compute(Encoding.UTF8.GetBytes(t)));

    public int CompareTo(Hash32 other) => Bytes.CompareTo(other.Bytes);
    public void CopyTo(Span<byte> destination) => Bytes.CopyTo(destination);
    public byte[] ToArray() => Bytes.ToArray();
    public override string ToString() => Bytes.ToHex();

    public static bool TryParseHex(ReadOnlySpan<char> hex, out Hash32 value)
    {
        var ok = Bytes32.TryParseHex(hex, out var b);
        value = new Hash32(b);
        return ok;
    }
}
