namespace Exchange.Core.Ledger.Codec;

/// <summary>Why bytes were refused by the canonical decoder. Every malformed input maps to one of these.</summary>
public enum DecodeError
{
    None = 0,
    /// <summary>The input ended inside a field.</summary>
    Truncated = 1,
    /// <summary>Bytes remain after the last field.</summary>
    TrailingBytes = 2,
    /// <summary>A varint used more bytes than its value needs (two encodings for one value are not allowed).</summary>
    NonCanonicalVarint = 3,
    /// <summary>A varint does not fit in 64 bits (or in the field's range).</summary>
    VarintOverflow = 4,
    /// <summary>A length prefix exceeds the field's limit.</summary>
    LengthOutOfRange = 5,
    /// <summary>The format version is not one this node speaks.</summary>
    UnknownVersion = 6,
    /// <summary>An enum byte or flag bit that the format does not define.</summary>
    UnknownEnumValue = 7,
    /// <summary>Text that is not printable ASCII.</summary>
    InvalidText = 8,
    /// <summary>The whole message exceeds its size limit.</summary>
    MessageTooLarge = 9,
    /// <summary>Items of a set are not in their canonical (strictly increasing) order.</summary>
    NonCanonicalOrder = 10,
    /// <summary>A well-formed field holds a value its message does not allow (a non-positive price, a zero height).</summary>
    ValueOutOfRange = 11,
}

/// <summary>Thrown inside the decoder and caught at its entry points, which return the <see cref="DecodeError"/>.</summary>
public sealed class DecodeException(DecodeError error, string detail) : Exception($"{error}: {detail}")
{
    public DecodeError Error { get; } = error;
    public string Detail { get; } = detail;
}

/// <summary>Decodes one message from bytes.</summary>
public delegate T SpanDecoder<out T>(ReadOnlySpan<byte> bytes);

/// <summary>Reads one message's fields from a reader positioned at its start.</summary>
public delegate T MessageReader<out T>(ref CanonicalReader reader);

public static class Decoding
{
    /// <summary>
    /// Decodes exactly one message: refuses input over <paramref name="maxLength"/> before parsing, reads the
    /// message, and refuses any byte after it.
    /// </summary>
    public static T Exactly<T>(ReadOnlySpan<byte> bytes, int maxLength, string what, MessageReader<T> read)
    {
        if (bytes.Length > maxLength)
            throw new DecodeException(DecodeError.MessageTooLarge, $"{what} of {bytes.Length} bytes exceeds {maxLength}");
        var r = new CanonicalReader(bytes);
        var value = read(ref r);
        r.EnsureEnd(what);
        return value;
    }

    /// <summary>Runs a throwing decoder and turns its typed failure into a result, for callers that meet hostile bytes.</summary>
    public static bool TryDecode<T>(SpanDecoder<T> decode, ReadOnlySpan<byte> bytes, out T? value, out DecodeException? error) where T : class
    {
        try
        {
            value = decode(bytes);
            error = null;
            return true;
        }
        catch (DecodeException e)
        {
            value = null;
            error = e;
            return false;
        }
    }
}
