using Exchange.Node.Hosting;

namespace Exchange.Node.Tests.Hosting;

[Collection(ClusterCollection.Name)]
public class IslandWatchTests
{
    [Fact]
    public void Clusters_should_order_by_validators_then_members_then_lowest_address()
    {
        var small = new IslandInfo("c", 1, 3, "akka.tcp://exchange@10.0.0.1:1");
        Assert.True(new IslandInfo("c", 2, 2, "akka.tcp://exchange@10.0.0.9:1").CompareTo(small) > 0);
        Assert.True(new IslandInfo("c", 1, 4, "akka.tcp://exchange@10.0.0.9:1").CompareTo(small) > 0);
        Assert.True(new IslandInfo("c", 1, 3, "akka.tcp://exchange@10.0.0.0:1").CompareTo(small) > 0);
        Assert.Equal(0, small.CompareTo(small with { }));
    }

    [Fact]
    public async Task First_seed_that_founded_a_cluster_alone_should_leave_it_for_the_larger_one()
    {
        int a = TestNode.FreePort(), b = TestNode.FreePort(), c = TestNode.FreePort();
        // A is the first seed and finds no other: it founds a cluster of one.
        await using var nodeA = new TestNode(a, [a, b]).Start();
        await nodeA.Until(n => n.Text.Contains("node up"), "found its own cluster");
        // Meanwhile B founds another, and C joins B.
        await using var nodeB = new TestNode(b, [b]).Start();
        await using var nodeC = new TestNode(c, [b]).Start();
        await nodeB.Until(n => n.Text.Contains($"peer verified {nodeC.Key.PublicKey}"), "verify C");

        await nodeA.Until(n => n.Text.Contains($"node found a larger cluster at {nodeB.Address}"), "find B's larger cluster");
        await nodeA.Until(n => n.Text.Contains($"peer verified {nodeB.Key.PublicKey}") && n.Text.Contains($"peer verified {nodeC.Key.PublicKey}"), "join it");
        await nodeB.Until(n => n.Text.Contains($"peer verified {nodeA.Key.PublicKey}"), "verify A");
        Assert.DoesNotContain("node found a larger cluster", nodeB.Text + nodeC.Text);
    }
}
