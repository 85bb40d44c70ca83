using System.Net;
using System.Net.Sockets;

namespace Exchange.Node.Devnet;

/// <summary>
/// Starts and stops the processes of a local devnet: validators on <c>basePort + i</c>, full nodes on
/// <c>basePort + 100 + i</c>, all on loopback, joining through the first two validators. The consensus timeouts are
/// shortened for loopback in <c>devnet.conf</c> beside the genesis. Every node keeps its journal (SQLite), sign state
/// and WAL under its own directory, so starting the same devnet again continues its chain.
/// </summary>
public sealed class DevnetRunner : IDisposable
{
    public const int DefaultBasePort = 27100;

    private readonly DevnetLayout _layout;
    private readonly string _seeds;
    private readonly string _config;

    public IReadOnlyList<DevnetNode> Nodes { get; }

    /// <param name="pinning">
    /// Whether each node process is confined to a share of the cores this process may use (<see cref="CoreShares"/>);
    /// pinning needs <c>taskset</c> and runs the nodes unpinned without it (<see cref="Pinned"/>).
    /// </param>
    public DevnetRunner(DevnetLayout layout, int validators, int fullNodes, int basePort = DefaultBasePort, CorePinning pinning = CorePinning.Auto)
    {
        _layout = layout;
        var shares = CoreShares.Assign(validators + fullNodes, CoreShares.Allowed(), CoreShares.Taskset is null ? CorePinning.Off : pinning);
        var nodes = new List<DevnetNode>();
        for (var i = 0; i < validators; i++)
            nodes.Add(new DevnetNode($"validator-{i}", true, basePort + i, layout.ValidatorKey(i), layout.NodeDirectory($"validator-{i}"), shares[i]));
        for (var i = 0; i < fullNodes; i++)
            nodes.Add(new DevnetNode($"fullnode-{i}", false, basePort + 100 + i, layout.FullNodeKey(i), layout.NodeDirectory($"fullnode-{i}"), shares[validators + i]));
        Nodes = nodes;
        _seeds = string.Join(",", nodes.Where(n => n.IsValidator).Take(2).Select(n => $"127.0.0.1:{n.Port}"));
        _config = Path.Combine(layout.Root, "devnet.conf");
        File.WriteAllText(_config, DevnetConfig);
    }

    /// <summary>Loopback round trips are well under a millisecond: shorter round timeouts let a devnet recover from a lost proposer quickly.</summary>
    private const string DevnetConfig = """
        # Written by `exchange devnet`; read by every devnet node after hocon/validator.conf or hocon/fullnode.conf.
        exchange.node.chain-id = "exchange-devnet-1"
        exchange.consensus.timeouts {
          # Wait for a proposal: round 0, then this much more per round.
          propose = 1s
          propose-delta = 250ms
          # Wait for more prevotes or precommits once more than two thirds of any arrived.
          prevote = 500ms
          prevote-delta = 250ms
          precommit = 500ms
          precommit-delta = 250ms
        }
        """;

    /// <summary>Whether the nodes run pinned to cores (each node's <see cref="DevnetNode.Cores"/>).</summary>
    public bool Pinned => Nodes.Any(n => n.Cores is not null);

    /// <summary>A line for the devnet's header: which node runs on which cores, or why they share them all.</summary>
    public string CoresSummary =>
        Pinned ? "cores: " + string.Join(", ", Nodes.Select(n => $"{n.Name} on {CoreShares.Format(n.Cores!)}"))
        : $"cores: not pinned; the {Nodes.Count} nodes share the {Environment.ProcessorCount} cores";

    public DevnetNode Node(string name) => Nodes.Single(n => n.Name == name);

    public void StartAll()
    {
        foreach (var node in Nodes) Start(node);
    }

    public void Start(DevnetNode node) => node.Start(_layout.GenesisPath, _seeds, _config);

    public async Task StopAllAsync(TimeSpan timeout) => await Task.WhenAll(Nodes.Select(n => n.StopAsync(timeout)));

    public void Dispose()
    {
        foreach (var node in Nodes) node.Dispose();
    }

    /// <summary>A base port whose validator and full node ports are free now (the OS picks one; the rest are checked).</summary>
    public static int FreeBasePort(int validators, int fullNodes)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            if (port > 60_000) continue;
            if (Enumerable.Range(port, validators).Concat(Enumerable.Range(port + 100, fullNodes)).All(IsFree)) return port;
        }
        throw new InvalidOperationException("no free block of loopback ports");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
