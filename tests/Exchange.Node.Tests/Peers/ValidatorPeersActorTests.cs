using System.Collections.Concurrent;
using Akka.Actor;
using Exchange.Node.Peers;
using Exchange.Node.Tests.Hosting;
using Exchange.Node.Validator;

namespace Exchange.Node.Tests.Peers;

[Collection(ClusterCollection.Name)]
public class ValidatorPeersActorTests
{
    /// <summary>Keeps every message it receives, for the test to look at.</summary>
    private sealed class Recorder : ReceiveActor
    {
        public Recorder(ConcurrentQueue<object> into) => ReceiveAny(into.Enqueue);
    }

    [Fact]
    public async Task Validator_should_get_the_validator_actors_of_verified_validator_peers_and_reach_them()
    {
        int a = TestNode.FreePort(), b = TestNode.FreePort(), c = TestNode.FreePort();
        await using var nodeA = new TestNode(a, [a]).Start();
        await using var nodeB = new TestNode(b, [a]).Start();
        await using var fullNode = new TestNode(c, [a], role: "fullnode").Start();
        await nodeA.Until(n => n.Text.Contains($"peer verified {nodeB.Key.PublicKey}") && n.Text.Contains($"peer verified {fullNode.Key.PublicKey}"), "verify B and the full node");

        var atA = new ConcurrentQueue<object>();
        var atB = new ConcurrentQueue<object>();
        nodeB.Host.Current!.ActorOf(Props.Create(() => new Recorder(atB)).WithDeploy(Deploy.Local), ValidatorPeersActor.DefaultValidatorName);
        var validatorA = nodeA.Host.Current!.ActorOf(Props.Create(() => new Recorder(atA)).WithDeploy(Deploy.Local), ValidatorPeersActor.DefaultValidatorName);
        nodeA.Host.Current!.ActorOf(ValidatorPeersActor.Props(validatorA), "validator-peers");

        var changed = await Eventually(() => atA.OfType<ValidatorPeersChanged>().LastOrDefault(), p => p.Peers.Count == 1);
        var peerB = Assert.Single(changed.Peers);
        Assert.Equal(nodeB.Key.PublicKey, peerB.Key);
        Assert.Equal($"{nodeB.Address}/user/validator", peerB.Value.Path.ToString());

        // The reference reaches B's validator actor, through the wire serializer.
        peerB.Value.Tell(new ConsensusStatus(42));
        var status = await Eventually(() => atB.OfType<ConsensusStatus>().FirstOrDefault(), _ => true);
        Assert.Equal(42UL, status.Height);

        Assert.Equal(0, await nodeB.StopAsync());
        await Eventually(() => atA.OfType<ValidatorPeersChanged>().LastOrDefault(), p => p.Peers.Count == 0);
    }

    private static async Task<T> Eventually<T>(Func<T?> get, Func<T, bool> condition, int seconds = 20) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (get() is { } value && condition(value)) return value;
            if (DateTime.UtcNow > deadline) Assert.Fail($"no {typeof(T).Name} as expected within {seconds}s");
            await Task.Delay(100);
        }
    }
}
