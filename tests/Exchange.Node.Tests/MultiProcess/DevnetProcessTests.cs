using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;
using Exchange.Node.Devnet;
using Exchange.Node.Hosting;
using Exchange.Node.Keys;
using Exchange.Node.Mempool;
using Xunit.Abstractions;

namespace Exchange.Node.Tests.MultiProcess;

/// <summary>
/// A devnet of four real validator processes on loopback (SQLite journals, the real consensus, ledger and mempool):
/// every node reports the same app hash at every height; a validator killed with SIGKILL leaves the other three
/// committing; with two of four killed nothing commits (more than a third of the power is gone), and bringing one
/// back lets commits resume; a new full node syncs the chain from height 1.
/// </summary>
[Collection(Exchange.Node.Tests.Hosting.ClusterCollection.Name)]
public sealed class DevnetProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "exchange-devnet-test-" + Guid.NewGuid().ToString("N")[..8]);
    private DevnetRunner? _runner;

    [Fact]
    public async Task Four_validators_should_agree_survive_a_kill_and_stop_without_a_two_thirds_majority()
    {
        var layout = DevnetLayout.OpenOrCreate(_root, validators: 4, fullNodes: 1, DateTimeOffset.UtcNow);
        _runner = new DevnetRunner(layout, 4, 1, DevnetRunner.FreeBasePort(4, 1));
        var nodes = _runner.Nodes.Where(n => n.IsValidator).ToArray();
        foreach (var node in nodes) _runner.Start(node);

        await WaitFor(() => nodes.All(n => n.View().Height >= 3), TimeSpan.FromSeconds(60), "all four validators at height 3");

        // With more nodes than cores (five on a two-core machine), each process runs on the one core it was given.
        output.WriteLine(_runner.CoresSummary);
        Assert.Equal(_runner.Nodes.Count > Environment.ProcessorCount && CoreShares.Taskset is not null, _runner.Pinned);
        foreach (var node in nodes.Where(n => n.Cores is not null))
            Assert.Equal(node.Cores!, AllowedCores(node.ProcessId!.Value));

        // Signed orders and transfers from two traders, submitted to one validator's mempool over Akka.Remote: gossip
        // brings them to whichever validator proposes, and they are committed in blocks every node applies alike.
        var submitted = await SubmitAsync(layout, nodes[1].Port);
        await WaitFor(() => nodes.All(n => n.View().Transactions >= submitted), TimeSpan.FromSeconds(60), $"all {submitted} transactions committed on every node");
        await WaitFor(() => nodes.All(n => n.View().Height >= 10), TimeSpan.FromSeconds(60), "all four validators at height 10");
        var common = nodes.Min(n => n.View().Height);
        for (var h = 1UL; h <= common; h++)
            Assert.Single(nodes.Select(n => n.AppHashAt(h)).Distinct());

        // kill -9 one validator: three of four hold more than two thirds of the (equal) stake.
        var victim = nodes[3];
        victim.Kill();
        var survivors = nodes.Take(3).ToArray();
        var before = survivors.Min(n => n.View().Height);
        await WaitFor(() => survivors.All(n => n.View().Height >= before + 10), TimeSpan.FromSeconds(60), "three validators commit 10 more blocks");

        // A second one gone: two of four hold exactly half, not more than two thirds; nothing may commit.
        nodes[2].Kill();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var stalled = nodes.Take(2).Max(n => n.View().Height);
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(stalled, nodes.Take(2).Max(n => n.View().Height));

        // Bring one back: it recovers its journal, catches up the heights it missed, and commits resume.
        _runner.Start(nodes[2]);
        await WaitFor(() => nodes.Take(3).All(n => n.View().Height >= stalled + 5), TimeSpan.FromSeconds(90), "commits resume with three validators");
        var agreed = nodes.Take(3).Min(n => n.View().Height);
        Assert.Single(nodes.Take(3).Select(n => n.AppHashAt(agreed)).Distinct());
        output.WriteLine($"stalled at {stalled}, resumed to {agreed}");

        // A new full node syncs the chain from height 1 from its peers, verifying every commit, then follows it.
        var full = _runner.Node("fullnode-0");
        _runner.Start(full);
        var target = nodes.Take(3).Max(n => n.View().Height) + 3;
        await WaitFor(() => full.View().Height >= target, TimeSpan.FromSeconds(90), $"the full node at height {target}");
        var followed = full.View().Height;
        Assert.Equal(nodes[0].AppHashAt(followed) ?? nodes[1].AppHashAt(followed), full.AppHashAt(followed));
    }

    /// <summary>The cores a process may run on, from the kernel's own account (<c>Cpus_allowed_list: 0-1,4</c>).</summary>
    private static int[] AllowedCores(int pid)
    {
        var list = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal)).Split(':')[1].Trim();
        return list.Split(',').SelectMany(range =>
        {
            var ends = range.Split('-').Select(int.Parse).ToArray();
            return Enumerable.Range(ends[0], ends[^1] - ends[0] + 1);
        }).ToArray();
    }

    /// <summary>Ten resting orders and ten transfers, each accepted by the mempool; returns how many.</summary>
    private static async Task<int> SubmitAsync(DevnetLayout layout, int port)
    {
        var config = Exchange.Node.Cli.ExchangeClient.ClientConfig("exchange");
        using var client = ActorSystem.Create("exchange", config);
        var mempool = client.ActorSelection($"akka.tcp://exchange@127.0.0.1:{port}/user/{NodePaths.Mempool}");
        var alice = KeyFile.Read(layout.TraderKey(0));
        var bob = KeyFile.Read(layout.TraderKey(1));
        var instrument = layout.LoadGenesis().Listings[0].Instruments(layout.LoadGenesis().GenesisDay).First().Name;
        var count = 0;
        for (var i = 1; i <= 10; i++)
        {
            var order = new PlaceOrder(instrument, Side.Buy, OrderType.Limit, TimeInForce.GoodTilCancelled, OrderFlags.None,
                Price.FromWhole(100 + i), Quantity.Parse("0.1"), (ulong)i, SelfTradePrevention.CancelIncoming);
            foreach (var tx in new[]
                     {
                         Transaction.Create(DevnetLayout.ChainId, alice.PublicKey, (ulong)i, order).SignWith(alice, KeyGenerator.AuxRandomness()),
                         Transaction.Create(DevnetLayout.ChainId, bob.PublicKey, (ulong)i, new Transfer(alice.PublicKey, Money.FromWhole(1))).SignWith(bob, KeyGenerator.AuxRandomness()),
                     })
            {
                var reply = await mempool.Ask<object>(new SubmitTx(tx.Encode()), TimeSpan.FromSeconds(10));
                Assert.True(reply is TxAccepted, $"{reply}");
                count++;
            }
        }
        await client.Terminate();
        return count;
    }

    private async Task WaitFor(Func<bool> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
            {
                foreach (var node in _runner!.Nodes) output.WriteLine($"{node.Name}: {node.View()}");
                Assert.Fail($"timed out waiting for {what}");
            }
            await Task.Delay(200);
        }
    }

    public void Dispose()
    {
        _runner?.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
