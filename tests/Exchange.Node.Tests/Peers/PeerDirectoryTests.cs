using Akka.Actor;
using Exchange.Node.Peers;
using Exchange.Node.Tests.Hosting;

namespace Exchange.Node.Tests.Peers;

[Collection(ClusterCollection.Name)]
public class PeerDirectoryTests
{
    /// <summary>
    /// Three actor systems on loopback ports: the hellos cross real remoting, with base.conf forbidding any fallback
    /// serializer, so a message without a codec could not have arrived.
    /// </summary>
    [Fact]
    public async Task Members_should_verify_each_others_keys_and_list_them_in_the_directory()
    {
        int a = TestNode.FreePort(), b = TestNode.FreePort(), c = TestNode.FreePort();
        await using var nodeA = new TestNode(a, [a]).Start();
        await using var nodeB = new TestNode(b, [a]).Start();
        await using var nodeC = new TestNode(c, [a], role: "fullnode").Start();

        foreach (var (node, others) in new[] { (nodeA, new[] { nodeB, nodeC }), (nodeB, [nodeA, nodeC]), (nodeC, [nodeA, nodeB]) })
            foreach (var other in others)
                await node.Until(n => n.Text.Contains($"peer verified {other.Key.PublicKey} {other.Address}"), $"verify {other.Address}");
        Assert.Contains($"peer verified {nodeC.Key.PublicKey} {nodeC.Address} roles=fullnode", nodeA.Text);

        var snapshot = await nodeA.Host.Current!.ActorSelection("/user/" + PeerDirectoryActor.Name).Ask<PeerSnapshot>(GetPeers.Instance, TimeSpan.FromSeconds(5));
        Assert.Equal(new[] { nodeB.Key.PublicKey, nodeC.Key.PublicKey }.Order(), snapshot.Peers.Select(p => p.Key).Order());
        Assert.Equal(["validator"], snapshot.Peers.Single(p => p.Key == nodeB.Key.PublicKey).Roles);
    }

    [Fact]
    public async Task Member_of_another_chain_should_be_rejected_and_never_listed()
    {
        int a = TestNode.FreePort(), b = TestNode.FreePort();
        await using var nodeA = new TestNode(a, [a]).Start();
        await using var stranger = new TestNode(b, [a], chainId: "other-chain").Start();

        await nodeA.Until(n => n.Text.Contains($"peer rejected {stranger.Address} reason=WrongChain"), "reject the stranger");
        await stranger.Until(n => n.Text.Contains($"peer rejected {nodeA.Address} reason=WrongChain"), "reject node A");
        Assert.DoesNotContain("peer verified", nodeA.Text);
    }

    [Fact]
    public async Task Forged_hello_should_be_rejected_and_not_replace_the_verified_key()
    {
        int a = TestNode.FreePort(), b = TestNode.FreePort();
        await using var nodeA = new TestNode(a, [a]).Start();
        await using var nodeB = new TestNode(b, [a]).Start();
        await nodeA.Until(n => n.Text.Contains($"peer verified {nodeB.Key.PublicKey}"), "verify B");

        // From B's system, a hello that claims a key B does not hold (signed by someone else).
        var systemA = nodeA.Host.Current!;
        var systemB = nodeB.Host.Current!;
        var clusterA = Akka.Cluster.Cluster.Get(systemA);
        var clusterB = Akka.Cluster.Cluster.Get(systemB);
        var forger = WireFixtures.Key("forger");
        var genuine = Hello.Create("exchange-test-1", forger, ["validator"], clusterB.SelfAddress.ToString(), clusterB.SelfUniqueAddress.Uid,
            clusterA.SelfAddress.ToString(), clusterA.SelfUniqueAddress.Uid, false, WireFixtures.ZeroAux);
        var forged = genuine with { Key = WireFixtures.Alice.PublicKey };
        var sender = systemB.ActorOf(Props.Create(() => new Sender()).WithDeploy(Deploy.Local), "forger");
        systemB.ActorSelection($"{nodeA.Address}/user/{PeerDirectoryActor.Name}").Tell(forged, sender);

        await nodeA.Until(n => n.Text.Contains($"peer rejected {nodeB.Address} reason=InvalidSignature"), "reject the forged hello");
        var snapshot = await systemA.ActorSelection("/user/" + PeerDirectoryActor.Name).Ask<PeerSnapshot>(GetPeers.Instance, TimeSpan.FromSeconds(5));
        Assert.Equal([nodeB.Key.PublicKey], snapshot.Peers.Select(p => p.Key));
        Assert.DoesNotContain(WireFixtures.Alice.PublicKey.ToString(), nodeA.Text);
    }

    private sealed class Sender : ReceiveActor
    {
        public Sender() => ReceiveAny(_ => { });
    }
}
