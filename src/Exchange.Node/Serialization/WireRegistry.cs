using System.Collections.Frozen;
using System.Runtime.Serialization;
using Exchange.Core.Ledger.Codec;

namespace Exchange.Node.Serialization;

/// <summary>
/// The set of codecs <see cref="ExchangeSerializer"/> speaks, looked up by exact type when writing and by manifest
/// when reading. Construction refuses a type or a manifest registered twice. Every failure names the message, its
/// size and the reason, because the reader of that exception is an operator looking at a peer's log.
/// </summary>
public sealed class WireRegistry
{
    private readonly FrozenDictionary<Type, WireCodec> _byType;
    private readonly FrozenDictionary<string, WireCodec> _byManifest;

    public WireRegistry(IEnumerable<WireCodec> codecs)
    {
        var byType = new Dictionary<Type, WireCodec>();
        var byManifest = new Dictionary<string, WireCodec>(StringComparer.Ordinal);
        foreach (var codec in codecs)
        {
            if (!byType.TryAdd(codec.Type, codec)) throw new ArgumentException($"{codec.Type.FullName} is registered twice");
            if (!byManifest.TryAdd(codec.Manifest, codec))
                throw new ArgumentException($"manifest '{codec.Manifest}' is used by both {byManifest[codec.Manifest].Type.FullName} and {codec.Type.FullName}");
        }
        _byType = byType.ToFrozenDictionary();
        _byManifest = byManifest.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<WireCodec> Codecs => _byManifest.Values.OrderBy(c => c.Manifest, StringComparer.Ordinal);

    public bool IsRegistered(Type type) => _byType.ContainsKey(type);

    public WireCodec For(Type type) =>
        _byType.TryGetValue(type, out var codec)
            ? codec
            : throw new SerializationException($"{type.FullName} is bound to the exchange serializer but has no codec; add a line for it to {nameof(WireCatalog)}");

    public WireCodec For(string manifest) =>
        _byManifest.TryGetValue(manifest, out var codec)
            ? codec
            : throw new SerializationException($"unknown exchange wire manifest '{manifest}' (a message from a newer node, or a corrupt frame)");

    public string ManifestOf(object message) => For(message.GetType()).Manifest;

    /// <summary>The canonical encoding of <paramref name="message"/>; refuses one over its type's limit, which no peer would accept.</summary>
    public byte[] Encode(object message)
    {
        var codec = For(message.GetType());
        var bytes = codec.Encode(message);
        if (bytes.Length > codec.MaxLength)
            throw new SerializationException($"'{codec.Manifest}' message of {bytes.Length} bytes exceeds its limit of {codec.MaxLength}; not sent");
        return bytes;
    }

    /// <summary>Decodes one message; an oversized or malformed payload becomes a <see cref="WireDecodeException"/> naming the manifest and the reason.</summary>
    public object Decode(ReadOnlySpan<byte> bytes, string manifest)
    {
        var codec = For(manifest);
        if (bytes.Length > codec.MaxLength)
            throw new WireDecodeException(manifest, bytes.Length, new DecodeException(DecodeError.MessageTooLarge, $"{bytes.Length} bytes exceed the limit of {codec.MaxLength}"));
        try
        {
            return codec.Decode(bytes);
        }
        catch (DecodeException e)
        {
            throw new WireDecodeException(manifest, bytes.Length, e);
        }
    }
}

/// <summary>A payload that is not the canonical encoding of its manifest's type. <see cref="Error"/> says which rule it broke.</summary>
public sealed class WireDecodeException(string manifest, int length, DecodeException inner)
    : SerializationException($"cannot decode '{manifest}' message of {length} bytes: {inner.Message}", inner)
{
    public string Manifest { get; } = manifest;
    public DecodeError Error { get; } = inner.Error;
}
