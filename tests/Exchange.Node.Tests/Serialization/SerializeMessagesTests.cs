using Akka.Actor;
using Akka.Configuration;
using Exchange.Node.Hosting;
using Exchange.Node.Mempool;
using Exchange.Node.Serialization;

namespace Exchange.Node.Tests.Serialization;

/// <summary>
/// With <c>serialize-messages = on</c> Akka serializes and deserializes every message an actor sends, as if it crossed
/// the network; with fallback serializers forbidden, each message type must go through the exchange serializer.
/// </summary>
public sealed class SerializeMessagesTests() : Akka.TestKit.Xunit2.TestKit(Settings, "serialize-messages")
{
    private static readonly Config Settings = ConfigurationFactory.ParseString("""
        akka.actor.serialize-messages = on
        akka.actor.serialize-creators = on
        akka.actor.serialization-settings.allow-unregistered-types = false
        akka.loglevel = WARNING
        """).WithFallback(NodeReference.Config);

    /// <summary>Sends whatever it receives on to the actor named in its constructor: one more serialized hop.</summary>
    private sealed class Relay : ReceiveActor
    {
        public Relay(IActorRef target) => ReceiveAny(m => target.Forward(m));
    }

    public static IEnumerable<object[]> OneOfEach() => WireFixtures.OneOfEach();

    [Theory]
    [MemberData(nameof(OneOfEach))]
    public void Message_should_pass_between_actors_with_every_send_serialized(string name, object message)
    {
        var relay = Sys.ActorOf(Props.Create(() => new Relay(TestActor)).WithDeploy(Deploy.Local), "relay-" + new string(name.Where(char.IsAsciiLetterOrDigit).ToArray()));
        relay.Tell(message);
        var received = ExpectMsg<object>(TimeSpan.FromSeconds(5));
        Assert.IsType(message.GetType(), received);
        Assert.Equal(WireCatalog.Default.Encode(message), WireCatalog.Default.Encode(received));
        if (message is not (GetMempoolStatus or Exchange.Node.Ledger.GetStatus)) Assert.NotSame(message, received);
    }
}
