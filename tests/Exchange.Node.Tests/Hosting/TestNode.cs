using System.Net;
using System.Net.Sockets;
using Akka.Configuration;
using Exchange.Core.Crypto;
using Exchange.Node.Hosting;
using Exchange.Node.Keys;

namespace Exchange.Node.Tests.Hosting;

/// <summary>
/// One node host running in the test process on a loopback port, with timings shortened so that joins, downing
/// and rejoins take seconds. Its output lines are kept for assertions.
/// </summary>
internal sealed class TestNode : IAsyncDisposable
{
    /// <summary>Cluster timings short enough for tests; production values are in hocon/base.conf.</summary>
    public const string FastTimings = """
        akka.loglevel = WARNING
        akka.cluster.seed-node-timeout = 1s
        akka.cluster.retry-unsuccessful-join-after = 1s
        akka.cluster.shutdown-after-unsuccessful-join-seed-nodes = 6s
        akka.cluster.allow-weakly-up-members = 1s
        akka.cluster.gossip-interval = 300ms
        akka.cluster.leader-actions-interval = 300ms
        akka.cluster.failure-detector.heartbeat-interval = 300ms
        akka.cluster.failure-detector.acceptable-heartbeat-pause = 1500ms
        akka.cluster.split-brain-resolver.stable-after = 2s
        exchange.node.handshake.retry-interval = 500ms
        exchange.node.rejoin.min-backoff = 200ms
        exchange.node.rejoin.max-backoff = 1s
        exchange.node.rejoin.island-check-interval = 1s
        """;

    private readonly CancellationTokenSource _stop = new();
    private readonly StringWriter _text = new();
    private Task<int>? _run;

    public KeyPair Key { get; }
    public int Port { get; }
    public NodeHost Host { get; }
    public TextWriter Output { get; }
    public string Address => $"akka.tcp://exchange@127.0.0.1:{Port}";

    public TestNode(int port, IEnumerable<int> seedPorts, string chainId = "exchange-test-1", string role = "validator", string extra = "")
    {
        Port = port;
        Key = KeyGenerator.Generate();
        Output = TextWriter.Synchronized(_text);
        var loaded = NodeConfig.Load([Path.Combine(AppContext.BaseDirectory, "hocon", role == "validator" ? "validator.conf" : "fullnode.conf")],
            new Dictionary<string, string?>
            {
                [EnvironmentOverrides.Port] = port.ToString(),
                [EnvironmentOverrides.Seeds] = string.Join(",", seedPorts.Select(p => $"127.0.0.1:{p}")),
                [EnvironmentOverrides.KeyFile] = "unused-in-process",
            });
        var config = ConfigurationFactory.ParseString(extra + "\n" + FastTimings + $"\nexchange.node.chain-id = \"{chainId}\"").WithFallback(loaded);
        Host = new NodeHost(config, NodeSettings.Create(config), Key, Output);
    }

    public TestNode Start()
    {
        _run = Task.Run(() => Host.RunAsync(_stop.Token));
        return this;
    }

    public string Text
    {
        get
        {
            lock (Output) return _text.ToString();
        }
    }

    public int Count(string line) => Text.Split('\n').Count(l => l.StartsWith(line, StringComparison.Ordinal));

    /// <summary>Waits until <paramref name="condition"/> holds, failing with the node's output after <paramref name="seconds"/>.</summary>
    public async Task Until(Func<TestNode, bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"node :{Port} did not {what} within {seconds}s; its output:\n{Text}");
            await Task.Delay(100);
        }
    }

    public async Task<int> StopAsync()
    {
        _stop.Cancel();
        return _run is null ? 0 : await _run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        _stop.Dispose();
    }

    private static readonly HashSet<int> Given = [];

    /// <summary>
    /// A loopback port nobody listens on right now, and one this test process has not handed out before: the system
    /// may offer a port it just released again, and a test asking for three nodes' ports in a row got one twice.
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (Given)
                if (Given.Add(port)) return port;
        }
    }
}
