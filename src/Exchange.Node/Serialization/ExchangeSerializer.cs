using Akka.Actor;
using Akka.Serialization;

namespace Exchange.Node.Serialization;

/// <summary>
/// The one serializer for Exchange messages on the wire and in the journal: the canonical binary codec of Core,
/// with a short string manifest per type (<see cref="WireCatalog"/>). The payload is exactly the message's canonical
/// encoding, so a persisted block is byte for byte the block that was hashed and signed.
/// </summary>
public sealed class ExchangeSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Serializer id written beside each payload. Akka reserves 0 to 40; this number is permanent once journals exist.</summary>
    public const int Id = 7100;

    private readonly WireRegistry _registry = WireCatalog.Default;

    public override int Identifier => Id;

    public override string Manifest(object o) => _registry.ManifestOf(o);

    public override byte[] ToBinary(object obj) => _registry.Encode(obj);

    public override object FromBinary(byte[] bytes, string manifest) => _registry.Decode(bytes, manifest);
}
