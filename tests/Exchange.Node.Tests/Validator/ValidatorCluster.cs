using Akka.Actor;
using Akka.TestKit;
using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Node.Validator;

namespace Exchange.Node.Tests.Validator;

/// <summary>
/// N validators in one ActorSystem, each with its own data directory, test application and tap (see
/// <see cref="TestNetwork"/>), with equal stake. Validators can be stopped and started again over the same
/// directory, as a process restart would.
/// </summary>
internal sealed class ValidatorCluster : IDisposable
{
    /// <summary>Short round timeouts so tests that need rounds to time out stay fast.</summary>
    public static readonly TimeoutConfig FastTimeouts = new(ProposeMs: 300, ProposeDeltaMs: 100, PrevoteMs: 150, PrevoteDeltaMs: 50,
        PrecommitMs: 150, PrecommitDeltaMs: 50);

    private readonly TestKitBase _kit;
    private readonly string _dir = Directory.CreateTempSubdirectory("exchange-validators-").FullName;
    private readonly TimeSpan _gossip;

    public KeyPair[] Keys { get; }
    public ValidatorSet Genesis { get; }
    public TestNetwork Network { get; } = new();
    public AppSwitches Switches { get; } = new();
    public IActorRef[] Apps { get; }
    public IActorRef[] Taps { get; }
    public IActorRef?[] Validators { get; }
    public TestProbe Commits { get; }

    public ValidatorCluster(TestKitBase kit, int n, TimeSpan? gossip = null)
    {
        _kit = kit;
        _gossip = gossip ?? TimeSpan.FromMilliseconds(150);
        Keys = [.. Enumerable.Range(0, n).Select(TestKeys.Validator)];
        Genesis = ValidatorSet.Create(Keys.Select(k => (k.PublicKey, 10L)));
        Commits = kit.CreateTestProbe("commits");
        Apps = [.. Enumerable.Range(0, n).Select(i => kit.Sys.ActorOf(TestApplication.Props(i, Keys[i].PublicKey, Genesis, Commits, Switches), $"app-{i}"))];
        Taps = [.. Enumerable.Range(0, n).Select(i => kit.Sys.ActorOf(Tap.Props(i, Network), $"tap-{i}"))];
        Validators = new IActorRef?[n];
    }

    public int Count => Keys.Length;

    public string DataDirectory(int node) => Path.Combine(_dir, $"validator-{node}");

    public ValidatorSettings Settings(int node) =>
        new(TestChain.Config(FastTimeouts), Keys[node], DataDirectory(node), Apps[node]) { GossipInterval = _gossip };

    public IActorRef Start(int node)
    {
        var validator = _kit.Sys.ActorOf(ValidatorActor.Props(Settings(node)));
        Network.Register(validator, node);
        Taps[node].Tell(new Tap.SetTarget(validator));
        var peers = Enumerable.Range(0, Count).Where(j => j != node).ToDictionary(j => Keys[j].PublicKey, j => Taps[j]);
        validator.Tell(new ValidatorPeersChanged(peers));
        Validators[node] = validator;
        return validator;
    }

    public void StartAll()
    {
        for (var i = 0; i < Count; i++) Start(i);
    }

    /// <summary>Stops the validator and waits until it has released its files.</summary>
    public void Stop(int node)
    {
        var validator = Validators[node] ?? throw new InvalidOperationException($"validator {node} is not running");
        var watcher = _kit.CreateTestProbe();
        watcher.Watch(validator);
        _kit.Sys.Stop(validator);
        watcher.ExpectTerminated(validator, TimeSpan.FromSeconds(5));
        Taps[node].Tell(new Tap.SetTarget(ActorRefs.Nobody));
        Validators[node] = null;
    }

    public async Task<IReadOnlyList<(Block Block, Commit Commit)>> ChainOf(int node) =>
        await Apps[node].Ask<List<(Block Block, Commit Commit)>>(TestApplication.GetChain.Instance, TimeSpan.FromSeconds(5));

    public async Task<ValidatorStatus> StatusOf(int node) =>
        await (Validators[node] ?? throw new InvalidOperationException($"validator {node} is not running"))
            .Ask<ValidatorStatus>(GetValidatorStatus.Instance, TimeSpan.FromSeconds(5));

    /// <summary>Waits until every node in <paramref name="nodes"/> has applied <paramref name="height"/>; fails naming each node's height.</summary>
    public async Task WaitForHeight(IEnumerable<int> nodes, ulong height, TimeSpan timeout)
    {
        var list = nodes.ToList();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var heights = new List<int>();
            foreach (var n in list) heights.Add((await ChainOf(n)).Count);
            if (heights.All(h => (ulong)h >= height)) return;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"nodes {string.Join(",", list)} did not all reach height {height} within {timeout}: heights {string.Join(",", heights)}");
            await Task.Delay(25);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the node's status.</summary>
    public async Task<ValidatorStatus> WaitForStatus(int node, Func<ValidatorStatus, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await StatusOf(node);
            if (condition(status)) return status;
            if (DateTime.UtcNow > deadline) Assert.Fail($"validator {node}: {what} did not happen within {timeout}; status {status}");
            await Task.Delay(25);
        }
    }

    /// <summary>Asserts that the nodes' chains agree block for block up to the shortest.</summary>
    public async Task AssertSameChains(IEnumerable<int> nodes)
    {
        var chains = new List<IReadOnlyList<(Block Block, Commit Commit)>>();
        foreach (var n in nodes) chains.Add(await ChainOf(n));
        var shortest = chains.Min(c => c.Count);
        for (var h = 0; h < shortest; h++)
        {
            var hashes = chains.Select(c => c[h].Block.Hash()).Distinct().ToList();
            Assert.True(hashes.Count == 1, $"height {h + 1}: nodes decided different blocks {string.Join(", ", hashes)}");
        }
    }

    /// <summary>Deletes the data directories; call after the ActorSystem has shut down.</summary>
    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
