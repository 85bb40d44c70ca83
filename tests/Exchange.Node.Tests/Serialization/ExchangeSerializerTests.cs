using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Exchange.Core.Ledger.Codec;
using Exchange.Node.Hosting;
using Exchange.Node.Mempool;
using Exchange.Node.Serialization;
using Exchange.Node.Validator;

namespace Exchange.Node.Tests.Serialization;

public sealed class ExchangeSerializerTests : IDisposable
{
    private static readonly Config Strict = ConfigurationFactory.ParseString("""
        akka.actor.serialization-settings.allow-unregistered-types = false
        akka.loglevel = WARNING
        """).WithFallback(NodeReference.Config);

    private readonly ActorSystem _system = ActorSystem.Create("serializer-test", Strict);
    private Akka.Serialization.Serialization Serialization => _system.Serialization;

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    public static IEnumerable<object[]> OneOfEach() => WireFixtures.OneOfEach();

    [Theory]
    [MemberData(nameof(OneOfEach))]
    public void Registered_message_should_round_trip_through_akka_serialization_as_its_canonical_encoding(string name, object message)
    {
        var serializer = Assert.IsType<ExchangeSerializer>(Serialization.FindSerializerFor(message));
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        var bytes = serializer.ToBinary(message);

        var back = Serialization.Deserialize(bytes, ExchangeSerializer.Id, manifest);

        // Some messages carry byte arrays and so have reference equality: compare what they encode to.
        Assert.IsType(message.GetType(), back);
        Assert.Equal(bytes, serializer.ToBinary(back));
        // Types with their own Encode() travel as exactly those bytes (the validator's two are encoded by the node).
        if (message.GetType().GetMethod("Encode", Type.EmptyTypes) is { } encode) Assert.Equal((byte[])encode.Invoke(message, null)!, bytes);
        if (message is not (SubmitTx or SubmitTxs or TxsSubmitted or GossipTxs or Exchange.Node.Ledger.BlockRange)) Assert.Equal(message, back);
        Assert.Equal(name.Split(' ')[0], manifest);
    }

    [Fact]
    public void Every_wire_message_type_in_the_node_should_be_in_the_catalog()
    {
        Type[] markers = [typeof(IWireMessage), typeof(IMempoolWireMessage), typeof(IValidatorWireMessage)];
        var marked = typeof(IWireMessage).Assembly.GetTypes().Where(t => markers.Any(m => m.IsAssignableFrom(t)) && t is { IsInterface: false, IsAbstract: false }).ToArray();
        Assert.NotEmpty(marked);
        Assert.All(marked, t => Assert.True(WireCatalog.Default.IsRegistered(t), $"{t.FullName} is a wire message but has no line in WireCatalog"));
        Assert.All(markers, m => Assert.IsType<ExchangeSerializer>(Serialization.FindSerializerForType(m)));
    }

    [Fact]
    public void Every_catalog_type_should_be_bound_to_the_exchange_serializer_in_reference_conf()
    {
        Assert.All(WireCatalog.Default.Codecs, c => Assert.IsType<ExchangeSerializer>(Serialization.FindSerializerForType(c.Type)));
        Assert.Equal(WireFixtures.OneOfEach().Select(o => ((string)o[0]).Split(' ')[0]).Distinct().Count(), WireCatalog.Default.Codecs.Count());
    }

    [Fact]
    public void Manifests_should_never_change_because_journals_store_them()
    {
        Assert.Equal(["block", "commit", "hello", "island-info", "island-probe",
            "l-account", "l-account?", "l-block", "l-block?", "l-blocks", "l-blocks-none", "l-blocks?", "l-no-block", "l-status", "l-status?", "mp-accepted", "mp-gossip", "mp-rejected", "mp-status", "mp-status?", "mp-submit", "mp-submit-many", "mp-verdicts", "proposal", "tx",
            "v-compact", "v-decided", "v-proposal?", "v-status", "vote"], WireCatalog.Default.Codecs.Select(c => c.Manifest));
        Assert.Equal(7100, ExchangeSerializer.Id);
    }

    [Fact]
    public void Payload_with_a_trailing_byte_should_be_refused_with_the_manifest_and_reason()
    {
        byte[] bytes = [.. WireFixtures.Prevote_Height2.Encode(), 0];
        var e = Assert.Throws<WireDecodeException>(() => Serialization.Deserialize(bytes, ExchangeSerializer.Id, "vote"));
        Assert.Equal(DecodeError.TrailingBytes, e.Error);
        Assert.Contains("'vote'", e.Message);
    }

    [Fact]
    public void Oversized_payload_should_be_refused_before_it_is_parsed()
    {
        var e = Assert.Throws<WireDecodeException>(() => Serialization.Deserialize(new byte[2048], ExchangeSerializer.Id, "tx"));
        Assert.Equal(DecodeError.MessageTooLarge, e.Error);
    }

    [Fact]
    public void Truncated_payload_should_be_refused()
    {
        var bytes = WireFixtures.Block_Height2.Encode();
        var e = Assert.Throws<WireDecodeException>(() => Serialization.Deserialize(bytes[..^5], ExchangeSerializer.Id, "block"));
        Assert.Equal(DecodeError.Truncated, e.Error);
    }

    [Fact]
    public void Validator_message_of_an_unknown_version_should_be_refused()
    {
        var bytes = ValidatorWireCodec.Encode(new ConsensusStatus(7));
        bytes[0] = 9;
        var e = Assert.Throws<WireDecodeException>(() => Serialization.Deserialize(bytes, ExchangeSerializer.Id, "v-status"));
        Assert.Equal(DecodeError.UnknownVersion, e.Error);
        var decided = ValidatorWireCodec.Encode(new DecidedBlock(WireFixtures.Block_Height1, WireFixtures.Commit_Height1_ThreeOfFour));
        Assert.Equal(DecodeError.TrailingBytes, Assert.Throws<WireDecodeException>(() => Serialization.Deserialize([.. decided, 0], ExchangeSerializer.Id, "v-decided")).Error);
    }

    [Fact]
    public void Unknown_manifest_should_be_refused_by_name()
    {
        var e = Assert.Throws<SerializationException>(() => Serialization.Deserialize([1, 2, 3], ExchangeSerializer.Id, "no-such-message"));
        Assert.Contains("no-such-message", e.Message);
    }

    [Fact]
    public void Oversized_message_should_not_be_sent()
    {
        var registry = new WireRegistry([WireCodec.Of<byte[]>("blob", 4, b => b, b => b.ToArray())]);
        Assert.Throws<SerializationException>(() => registry.Encode(new byte[5]));
        Assert.Equal(new byte[4], registry.Encode(new byte[4]));
    }

    [Fact]
    public void Registry_should_refuse_a_manifest_or_type_registered_twice()
    {
        Assert.Throws<ArgumentException>(() => new WireRegistry(
        [
            WireCodec.Of<byte[]>("blob", 4, b => b, b => b.ToArray()),
            WireCodec.Of<string>("blob", 4, s => [], _ => ""),
        ]));
        Assert.Throws<ArgumentException>(() => WireCodec.Of<string>("with space", 4, s => [], _ => ""));
        Assert.Throws<ArgumentException>(() => WireCodec.Of<string>(new string('m', WireCodec.MaxManifestLength + 1), 4, s => [], _ => ""));
    }

    private sealed record NotRegistered(int Value);

    [Fact]
    public void Type_without_a_binding_should_fail_instead_of_falling_back_to_json()
    {
        Assert.ThrowsAny<Exception>(() => Serialization.FindSerializerFor(new NotRegistered(1)));
    }
}
