using Akka.Actor;
using Akka.TestKit;
using Exchange.Core.Ledger;
using Exchange.Node.Hosting;
using Exchange.Node.Ledger;
using Exchange.Node.Peers;
using Exchange.Node.Sync;
using Exchange.Node.Tests.Ledger;

namespace Exchange.Node.Tests.Sync;

/// <summary>
/// Block sync between two real ledgers on SQLite, each in its own actor system: the one behind fetches the other's
/// blocks and applies them through <see cref="SyncBlock"/>, which checks every commit against the validator set.
/// </summary>
public sealed class BlockSyncActorTests() : Akka.TestKit.Xunit2.TestKit(LedgerNode.QuietLogging), IAsyncLifetime
{
    private static TestChain Chain => TestChain.Shared;
    /// <summary>A full node's settings (it fetches from a lag of one), asking often and in small batches.</summary>
    private static readonly BlockSyncSettings Fast = BlockSyncSettings.For(NodeRole.FullNode) with { Interval = TimeSpan.FromMilliseconds(100), BatchSize = 4 };
    private static readonly Address GoodPeer = new("akka.tcp", "exchange", "10.0.0.1", 4053);
    private static readonly Address BadPeer = new("akka.tcp", "exchange", "10.0.0.2", 4053);

    private readonly SqliteLedgerStore _aheadStore = new();
    private readonly SqliteLedgerStore _behindStore = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _aheadStore.DisposeAsync();
        await _behindStore.DisposeAsync();
    }

    private IActorRef StartSync(LedgerNode behind, IReadOnlyDictionary<Address, IActorRef> peers, BlockSyncSettings? settings = null)
    {
        var sync = behind.System.ActorOf(BlockSyncActor.Props(behind.Ledger, settings ?? Fast, a => peers[a]), "sync");
        foreach (var (address, _) in peers)
            sync.Tell(new PeerVerified(WireFixtures.Key(address.Host!).PublicKey, address, ["fullnode"])); // as the peer directory publishes it
        return sync;
    }

    private static void AwaitHeight(LedgerNode node, ulong height)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (node.Status().Height < height)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"the ledger is at height {node.Status().Height}, not {height}");
            Thread.Sleep(50);
        }
    }

    private SyncStatus SyncStatusOf(LedgerNode node, IActorRef sync)
    {
        var probe = CreateTestProbe(node.System);
        sync.Tell(GetSyncStatus.Instance, probe.Ref);
        return probe.ExpectMsg<SyncStatus>();
    }

    [Fact]
    public async Task Node_ten_blocks_behind_should_catch_up_with_the_peer_and_verify_every_block()
    {
        await using var ahead = LedgerNode.Start(this, _aheadStore, Chain);
        ahead.Commit(Chain, 1, 10);
        await using var behind = LedgerNode.Start(this, _behindStore, Chain);

        var sync = StartSync(behind, new Dictionary<Address, IActorRef> { [GoodPeer] = ahead.Ledger });

        AwaitHeight(behind, 10);
        Assert.Equal(ahead.Status(), behind.Status());
        Assert.Equal(Enumerable.Range(1, 10).Select(h => (ulong)h), behind.Published.ReceiveN(10, LedgerNode.Patience).Cast<BlockApplied>().Select(b => b.Height));
        var status = SyncStatusOf(behind, sync);
        Assert.Equal(10, status.Applied);
        Assert.Empty(status.PausedPeers);

        // Later blocks follow, however the peer's commits and the status rounds interleave.
        ahead.Commit(Chain, 11, 13);
        AwaitHeight(behind, 13);
        Assert.Equal(ahead.Status(), behind.Status());
    }

    [Fact]
    public async Task Validator_one_block_behind_should_leave_that_block_to_consensus()
    {
        await using var ahead = LedgerNode.Start(this, _aheadStore, Chain);
        ahead.Commit(Chain, 1, 10);
        await using var behind = LedgerNode.Start(this, _behindStore, Chain);
        behind.Commit(Chain, 1, 9);
        behind.Published.ReceiveN(9, LedgerNode.Patience);

        var sync = StartSync(behind, new Dictionary<Address, IActorRef> { [GoodPeer] = ahead.Ledger }, BlockSyncSettings.For(NodeRole.Validator) with { Interval = Fast.Interval });

        AwaitCondition(() => SyncStatusOf(behind, sync).BestPeerHeight == 10, TimeSpan.FromSeconds(10));
        behind.Published.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        Assert.Equal(9UL, behind.Status().Height);
    }

    [Fact]
    public async Task Block_with_a_commit_not_signed_by_the_validators_should_be_refused_and_its_peer_left_aside()
    {
        await using var ahead = LedgerNode.Start(this, _aheadStore, Chain);
        ahead.Commit(Chain, 1, 10);
        await using var behind = LedgerNode.Start(this, _behindStore, Chain);
        var requests = CreateTestProbe(behind.System);
        var liar = behind.System.ActorOf(Props.Create(() => new ForgingPeer(requests.Ref, 12)));

        var sync = StartSync(behind, new Dictionary<Address, IActorRef> { [GoodPeer] = ahead.Ledger, [BadPeer] = liar });

        // The liar claims the higher chain, so it is asked first; its block is refused and the good peer serves instead.
        Assert.Equal(1UL, requests.FishForMessage<GetBlocks>(_ => true, TimeSpan.FromSeconds(10)).FromHeight);
        AwaitHeight(behind, 10);
        Assert.Equal(ahead.Status(), behind.Status());
        Assert.All(behind.Published.ReceiveN(10, LedgerNode.Patience).Cast<BlockApplied>(), b => Assert.Equal(Chain.At(b.Height).Commit, b.Commit));
        var status = SyncStatusOf(behind, sync);
        Assert.Equal([BadPeer.ToString()], status.PausedPeers);
        Assert.DoesNotContain(requests.ReceiveWhile(TimeSpan.FromMilliseconds(500), m => m, 100), m => m is GetBlocks);
    }

    [Fact]
    public async Task Only_a_forging_peer_should_leave_the_ledger_where_it_was()
    {
        await using var behind = LedgerNode.Start(this, _behindStore, Chain);
        var requests = CreateTestProbe(behind.System);
        var liar = behind.System.ActorOf(Props.Create(() => new ForgingPeer(requests.Ref, 12)));

        var sync = StartSync(behind, new Dictionary<Address, IActorRef> { [BadPeer] = liar });

        requests.FishForMessage(m => m is GetBlocks, TimeSpan.FromSeconds(10));
        AwaitCondition(() => SyncStatusOf(behind, sync).PausedPeers.Count == 1, TimeSpan.FromSeconds(10));
        Assert.Equal(0UL, behind.Status().Height);
        behind.Published.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    /// <summary>
    /// A peer that claims <paramref name="height"/> and serves the chain's real blocks with commits signed by a key that
    /// is not a validator: the commit names the block, so only the signature check can catch it.
    /// </summary>
    private sealed class ForgingPeer : ReceiveActor
    {
        public ForgingPeer(IActorRef requests, ulong height)
        {
            var forger = WireFixtures.Key("forger");
            Receive<GetStatus>(q =>
            {
                requests.Tell(q);
                Sender.Tell(new LedgerStatus(height, Chain.AppHashAt(height), 0));
            });
            Receive<GetBlocks>(q =>
            {
                requests.Tell(q);
                var blocks = Enumerable.Range(0, q.MaxBlocks).Select(i => Chain.At(q.FromHeight + (ulong)i)).Select(b =>
                {
                    var h = b.Block.Header;
                    var hash = b.Block.Hash();
                    var signature = forger.Sign(Commit.PrecommitSigningHash(h.ChainId, h.Height, h.Round, hash), new byte[32]);
                    return b with { Commit = Commit.Create(h.Height, h.Round, hash, [new CommitSignature(forger.PublicKey, signature)]) };
                }).ToArray();
                Sender.Tell(new BlockRange(q.FromHeight, blocks, height));
            });
        }
    }
}
