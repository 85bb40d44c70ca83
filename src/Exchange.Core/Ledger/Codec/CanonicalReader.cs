using System.Buffers.Binary;
using Exchange.Core.Crypto;

namespace Exchange.Core.Ledger.Codec;

/// <summary>
/// Reads the canonical form written by <see cref="CanonicalWriter"/> and refuses everything else:
/// truncation, over-long or overflowing varints, lengths beyond a field's limit, text that is not
/// printable ASCII, unknown enum values. Each refusal is a <see cref="DecodeException"/>.
/// </summary>
public ref struct CanonicalReader(ReadOnlySpan<byte> input)
{
    private readonly ReadOnlySpan<byte> _input = input;
    private int _position;

    public readonly int Position => _position;
    public readonly int Remaining => _input.Length - _position;

    /// <summary>The bytes read from <paramref name="start"/> (an earlier <see cref="Position"/>) up to now.</summary>
    public readonly ReadOnlySpan<byte> ReadSince(int start) => _input[start.._position];

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count < 0 || count > Remaining) throw new DecodeException(DecodeError.Truncated, $"{field}: needs {count} bytes, {Remaining} left");
        var span = _input.Slice(_position, count);
        _position += count;
        return span;
    }

    public byte ReadByte(string field) => Take(1, field)[0];

    public bool ReadBool(string field) => ReadByte(field) switch
    {
        0 => false,
        1 => true,
        var b => throw new DecodeException(DecodeError.UnknownEnumValue, $"{field}: {b} is not a boolean"),
    };

    public ulong ReadVarUInt(string field)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = ReadByte(field);
            if (shift == 63 && b > 1) throw new DecodeException(DecodeError.VarintOverflow, $"{field}: varint exceeds 64 bits");
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                // A final zero group after the first byte means a shorter encoding existed.
                if (b == 0 && shift > 0) throw new DecodeException(DecodeError.NonCanonicalVarint, $"{field}: varint has a redundant zero byte");
                return value;
            }
        }
    }

    public long ReadVarInt(string field)
    {
        var z = ReadVarUInt(field);
        return (long)(z >> 1) ^ -(long)(z & 1);
    }

    /// <summary>A varint bounded to [0, max]: counts, lengths and identifiers that must fit the field.</summary>
    public ulong ReadVarUInt(string field, ulong max)
    {
        var v = ReadVarUInt(field);
        if (v > max) throw new DecodeException(DecodeError.VarintOverflow, $"{field}: {v} exceeds {max}");
        return v;
    }

    public uint ReadVarUInt32(string field) => (uint)ReadVarUInt(field, uint.MaxValue);

    public Bytes32 ReadBytes32(string field) => new(Take(Bytes32.Length, field));
    public Hash32 ReadHash(string field) => new(Take(Bytes32.Length, field));
    public PublicKey ReadPublicKey(string field) => new(Take(PublicKey.Length, field));
    public Signature ReadSignature(string field) => new(Take(Signature.Length, field));

    public ulong ReadFixed64(string field) => BinaryPrimitives.ReadUInt64BigEndian(Take(8, field));

    public string ReadText(string field, int maxLength)
    {
        var length = ReadLength(field, maxLength);
        var bytes = Take(length, field);
        foreach (var b in bytes)
            if (b < 0x20 || b > 0x7E) throw new DecodeException(DecodeError.InvalidText, $"{field}: byte 0x{b:x2} is not printable ASCII");
        return DecodedText.Of(bytes);
    }

    /// <summary>A length-prefixed nested message; the slice is handed to that message's own decoder.</summary>
    public ReadOnlySpan<byte> ReadBytes(string field, int maxLength) => Take(ReadLength(field, maxLength), field);

    public int ReadLength(string field, int maxLength)
    {
        var length = ReadVarUInt(field);
        if (length > (ulong)maxLength) throw new DecodeException(DecodeError.LengthOutOfRange, $"{field}: length {length} exceeds {maxLength}");
        return (int)length;
    }

    /// <summary>An enum stored as one byte whose defined values are exactly [min, max].</summary>
    public byte ReadEnum(string field, byte min, byte max)
    {
        var b = ReadByte(field);
        if (b < min || b > max) throw new DecodeException(DecodeError.UnknownEnumValue, $"{field}: {b} is not a defined value");
        return b;
    }

    public readonly void EnsureEnd(string message)
    {
        if (Remaining != 0) throw new DecodeException(DecodeError.TrailingBytes, $"{message}: {Remaining} bytes after the end");
    }
}
