using Exchange.Node.Tests.Hosting;

namespace Exchange.Node.Tests.MultiProcess;

/// <summary>
/// Real <c>exchange node</c> processes on loopback: they form a cluster through the seeds, verify each other's signed
/// handshakes, survive a peer killed with SIGKILL, take the restarted peer back, and leave gracefully on SIGTERM.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterProcessTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("exchange-cluster-").FullName;
    private readonly List<NodeProcess> _nodes = [];

    public void Dispose()
    {
        foreach (var node in _nodes) node.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A node's files may still be closing; the temporary directory is the system's to clean.
        }
    }

    /// <summary>
    /// The in-process timings, with the failure detector relaxed: three processes starting at once on two shared cores
    /// can stall heartbeats for a second or two, and a false unreachability would down a healthy node.
    /// </summary>
    private const string Timings = TestNode.FastTimings + """

        akka.cluster.failure-detector.heartbeat-interval = 500ms
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 3s
        akka.cluster.split-brain-resolver.stable-after = 3s
        akka.cluster.seed-node-timeout = 3s
        akka.cluster.shutdown-after-unsuccessful-join-seed-nodes = 15s
        exchange.node.chain-id = "exchange-test-1"
        """;

    [Fact]
    public async Task Killed_validator_should_leave_its_peers_running_and_rejoin_when_restarted()
    {
        var fast = Path.Combine(_root, "fast.conf");
        File.WriteAllText(fast, Timings);
        var validator = Path.Combine(AppContext.BaseDirectory, "hocon", "validator.conf");
        int[] ports = [TestNode.FreePort(), TestNode.FreePort(), TestNode.FreePort()];
        var seeds = $"127.0.0.1:{ports[0]},127.0.0.1:{ports[1]}";
        foreach (var port in ports) _nodes.Add(new NodeProcess(_root, port, seeds, validator, fast));
        var (a, b, c) = (_nodes[0], _nodes[1], _nodes[2]);

        foreach (var node in _nodes) node.Start();
        foreach (var node in _nodes)
            foreach (var other in _nodes.Where(o => o != node))
                await Until(node, n => n.Count($"peer verified {other.Key} {other.Address} roles=validator") >= 1, $"verify {other.Name}");
        var verifiedB = (a.Count($"peer verified {b.Key}"), c.Count($"peer verified {b.Key}"));
        var lostB = (a.Count($"peer lost {b.Key}"), c.Count($"peer lost {b.Key}"));

        b.Kill();
        await Until(a, n => n.Count($"peer lost {b.Key}") > lostB.Item1, "see the killed node removed");
        await Until(c, n => n.Count($"peer lost {b.Key}") > lostB.Item2, "see the killed node removed");
        Assert.True(a.IsRunning && c.IsRunning, "the killed node's peers must keep running");

        b.Start();
        await Until(a, n => n.Count($"peer verified {b.Key}") > verifiedB.Item1, "verify the restarted node");
        await Until(c, n => n.Count($"peer verified {b.Key}") > verifiedB.Item2, "verify the restarted node");
        await Until(b, n => n.Count($"peer verified {a.Key}") >= 2 && n.Count($"peer verified {c.Key}") >= 2, "verify its peers again");

        foreach (var node in _nodes) Assert.Equal(0, await node.TerminateAsync());
        Assert.All(_nodes, n => Assert.Contains("node stopped", n.Output));
    }

    /// <summary>Waits for <paramref name="condition"/> on <paramref name="node"/>; on time-out fails with every node's output.</summary>
    private async Task Until(NodeProcess node, Func<NodeProcess, bool> condition, string what, int seconds = 40)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition(node))
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"{node.Name} did not {what} within {seconds}s.\n" + string.Join("\n\n", _nodes.Select(n => $"--- {n.Name}:\n{n.Output}")));
            await Task.Delay(100);
        }
    }
}
