using Akka.Actor;
using Exchange.Node.Hosting;

namespace Exchange.Node.Tests.Hosting;

[Collection(ClusterCollection.Name)]
public class NodeHostTests
{
    [Fact]
    public async Task Node_downed_by_the_cluster_should_rejoin_in_a_new_incarnation_and_be_verified_again()
    {
        int a = TestNode.FreePort(), b = TestNode.FreePort();
        await using var nodeA = new TestNode(a, [a, b]).Start();
        await using var nodeB = new TestNode(b, [a, b]).Start();
        var verifiedB = $"peer verified {nodeB.Key.PublicKey}";
        var lostB = $"peer lost {nodeB.Key.PublicKey}";
        await nodeA.Until(n => n.Count(verifiedB) >= 1, "verify B");
        await nodeB.Until(n => n.Count($"peer verified {nodeA.Key.PublicKey}") >= 1 && n.Text.Contains("node up"), "verify A and see itself Up");
        // Counted after the cluster formed: on a busy machine a slow first join may already have cost B an incarnation.
        var (verifiedBefore, lostBefore, incarnation) = (nodeA.Count(verifiedB), nodeA.Count(lostB), nodeB.Host.Incarnations);

        Akka.Cluster.Cluster.Get(nodeA.Host.Current!).Down(Address.Parse(nodeB.Address));

        await nodeB.Until(n => n.Text.Contains("node left the cluster (ClusterDowningReason)"), "notice it was downed");
        await nodeA.Until(n => n.Count(lostB) > lostBefore, "lose B");
        await nodeA.Until(n => n.Count(verifiedB) > verifiedBefore, "verify B's new incarnation");
        await nodeB.Until(n => n.Host.Incarnations > incarnation && n.Text.Contains($"roles=validator incarnation={n.Host.Incarnations}"), "come Up again");
        // B had joined, so the incarnation after the downing joined through the other seed only.
        Assert.True(nodeB.Text.Contains($"incarnation={incarnation + 1} seeds={nodeA.Address}{Environment.NewLine}"), nodeB.Text);

        Assert.Equal(0, await nodeB.StopAsync());
        Assert.Contains("node stopped", nodeB.Text);
        await nodeA.Until(n => n.Count(lostB) > lostBefore + 1, "see B leave");
    }

    [Fact]
    public async Task Node_that_finds_no_seed_should_keep_restarting_and_join_once_a_seed_is_up()
    {
        int a = TestNode.FreePort(), b = TestNode.FreePort();
        await using var nodeB = new TestNode(b, [a]).Start();
        await nodeB.Until(n => n.Text.Contains("node left the cluster (ClusterJoinUnsuccessfulReason)"), "give up the first join", seconds: 15);

        await using var nodeA = new TestNode(a, [a]).Start();
        await nodeB.Until(n => n.Text.Contains($"peer verified {nodeA.Key.PublicKey}"), "join A and verify it", seconds: 30);
        Assert.True(nodeB.Host.Incarnations >= 2);
    }

    [Fact]
    public void Incarnation_after_one_that_was_Up_should_join_through_the_other_seeds_only()
    {
        var node = new TestNode(4101, [4101, 4102]);
        var self = Address.Parse("akka.tcp://exchange@127.0.0.1:4101");
        Assert.Equal(["akka.tcp://exchange@127.0.0.1:4101", "akka.tcp://exchange@127.0.0.1:4102"], node.Host.SeedsFor(self, previousJoined: false).Select(s => s.ToString()));
        Assert.Equal(["akka.tcp://exchange@127.0.0.1:4102"], node.Host.SeedsFor(self, previousJoined: true).Select(s => s.ToString()));

        var alone = new TestNode(4103, [4103]);
        var selfAlone = Address.Parse("akka.tcp://exchange@127.0.0.1:4103");
        Assert.Equal([selfAlone], alone.Host.SeedsFor(selfAlone, previousJoined: true));
    }
}
