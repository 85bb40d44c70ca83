using Exchange.Core.Ledger.Codec;

namespace Exchange.Node.Serialization;

/// <summary>
/// How one message type travels: its manifest (a short permanent name written beside every payload on the wire
/// and in the journal), the largest encoding it may have, and its canonical encoder and strict decoder.
/// A manifest is never renamed or reused for another type, because journals written with it must stay readable;
/// a format change is a new version byte inside the payload, or a new manifest.
/// </summary>
public sealed class WireCodec
{
    public Type Type { get; }
    public string Manifest { get; }
    public int MaxLength { get; }
    private readonly Func<object, byte[]> _encode;
    private readonly SpanDecoder<object> _decode;

    private WireCodec(Type type, string manifest, int maxLength, Func<object, byte[]> encode, SpanDecoder<object> decode)
    {
        if (string.IsNullOrEmpty(manifest) || manifest.Length > MaxManifestLength || !manifest.All(c => c is > ' ' and <= '~'))
            throw new ArgumentException($"manifest '{manifest}' must be 1 to {MaxManifestLength} printable ASCII characters without spaces", nameof(manifest));
        if (maxLength < 0) throw new ArgumentOutOfRangeException(nameof(maxLength), "a size limit cannot be negative");
        Type = type;
        Manifest = manifest;
        MaxLength = maxLength;
        _encode = encode;
        _decode = decode;
    }

    /// <summary>Manifests are written beside every payload, so they stay short.</summary>
    public const int MaxManifestLength = 24;

    /// <summary>A codec for <typeparamref name="T"/>; <paramref name="decode"/> must refuse non-canonical input with a <see cref="DecodeException"/>.</summary>
    public static WireCodec Of<T>(string manifest, int maxLength, Func<T, byte[]> encode, SpanDecoder<T> decode) where T : class =>
        new(typeof(T), manifest, maxLength, o => encode((T)o), bytes => decode(bytes));

    public byte[] Encode(object message) => _encode(message);

    public object Decode(ReadOnlySpan<byte> bytes) => _decode(bytes);
}
