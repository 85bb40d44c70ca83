using System.Buffers.Binary;
using Exchange.Core.Crypto;

namespace Exchange.Core.Ledger.Codec;

/// <summary>
/// Writes the canonical binary form: unsigned LEB128 varints in their shortest form, zigzag for
/// signed values, fixed-width 32- and 64-byte fields, and length-prefixed printable-ASCII text.
/// One value has exactly one encoding, so hashes over encodings agree across nodes.
/// </summary>
public sealed class CanonicalWriter
{
    private byte[] _buffer;
    private int _length;

    public CanonicalWriter(int capacity = 256) => _buffer = new byte[Math.Max(16, capacity)];

    public int Length => _length;

    /// <summary>Bytes the writer holds room for before it grows.</summary>
    public int Capacity => _buffer.Length;
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);
    public byte[] ToArray() => Written.ToArray();
    public void Reset() => _length = 0;

    private Span<byte> Take(int count)
    {
        if (_length + count > _buffer.Length) Grow(count);
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    private void Grow(int count) => Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));

    public void WriteByte(byte value)
    {
        if (_length >= _buffer.Length) Grow(1);
        _buffer[_length++] = value;
    }

    public void WriteBool(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteVarUInt(ulong value)
    {
        // Room for the longest varint up front, so the loop writes without a bounds decision per byte.
        if (_length + MaxVarintBytes > _buffer.Length) Grow(MaxVarintBytes);
        var buffer = _buffer;
        var i = _length;
        while (value >= 0x80)
        {
            buffer[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        buffer[i++] = (byte)value;
        _length = i;
    }

    private const int MaxVarintBytes = 10;

    /// <summary>Zigzag maps small magnitudes of either sign to short varints.</summary>
    public void WriteVarInt(long value) => WriteVarUInt((ulong)((value << 1) ^ (value >> 63)));

    public void WriteBytes32(in Bytes32 value) => value.CopyTo(Take(Bytes32.Length));
    public void WriteHash(in Hash32 value) => value.CopyTo(Take(Bytes32.Length));
    public void WritePublicKey(in PublicKey value) => value.CopyTo(Take(PublicKey.Length));
    public void WriteSignature(in Signature value) => value.CopyTo(Take(Signature.Length));

    public void WriteFixed64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Take(8), value);

    /// <summary>Text is restricted to printable ASCII so that no Unicode normalisation question can split consensus.</summary>
    public void WriteText(string value, int maxLength)
    {
        if (value.Length > maxLength) throw new ArgumentException($"text longer than {maxLength} characters", nameof(value));
        // Checked before anything is written, so a refused text leaves the writer as it was.
        foreach (var c in value)
            if (c < 0x20 || c > 0x7E) throw new ArgumentException("text must be printable ASCII", nameof(value));
        WriteVarUInt((ulong)value.Length);
        var span = Take(value.Length);
        for (var i = 0; i < value.Length; i++) span[i] = (byte)value[i];
    }

    /// <summary>A value's own canonical encoding, inline and as it is (no length prefix): what writing the value would write.</summary>
    public void WriteEncoded(ReadOnlySpan<byte> encoding) => encoding.CopyTo(Take(encoding.Length));

    /// <summary>A nested message as a length-prefixed byte string.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarUInt((ulong)value.Length);
        value.CopyTo(Take(value.Length));
    }

    /// <summary>
    /// Starts a nested message written in place: what is written until <see cref="EndNested"/> comes out exactly as
    /// <see cref="WriteBytes"/> of that message's own encoding would write it. A block inside a proposal inside a WAL
    /// entry is then copied once, not once per level (each level's array of a large block is a large-object allocation).
    /// </summary>
    /// <returns>The mark to hand to <see cref="EndNested"/>.</returns>
    public int BeginNested()
    {
        var mark = _length;
        Take(MaxVarintBytes);
        return mark;
    }

    /// <summary>Closes the nested message begun at <paramref name="mark"/>: its length goes in front, shortest form.</summary>
    public void EndNested(int mark)
    {
        var body = mark + MaxVarintBytes;
        var length = _length - body;
        Span<byte> prefix = stackalloc byte[MaxVarintBytes];
        var n = 0;
        var value = (ulong)length;
        while (value >= 0x80)
        {
            prefix[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        prefix[n++] = (byte)value;
        // Overlapping ranges: Span.CopyTo moves them as memmove does.
        _buffer.AsSpan(body, length).CopyTo(_buffer.AsSpan(mark + n));
        prefix[..n].CopyTo(_buffer.AsSpan(mark));
        _length = mark + n + length;
    }
}
