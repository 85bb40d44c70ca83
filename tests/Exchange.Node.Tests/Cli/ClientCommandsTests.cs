using Akka.Actor;
using Akka.Configuration;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.State;
using Exchange.Core.Tests.State;
using Exchange.Node.Application;
using Exchange.Node.Cli;
using Exchange.Node.Hosting;
using Exchange.Node.Keys;
using Exchange.Node.Ledger;
using Exchange.Node.Mempool;
using Exchange.Node.Tests.Ledger;

namespace Exchange.Node.Tests.Cli;

/// <summary>
/// The client commands against an in-process node: an actor system named <c>exchange</c> with remoting on loopback,
/// a real ledger (SQLite) holding three blocks of the test chain at <c>/user/ledger</c> and a real mempool at
/// <c>/user/mempool</c>, reached by the client's own remoting-only actor system.
/// </summary>
[Collection(ClientCollection.Name)]
public sealed class ClientCommandsTests : IAsyncLifetime
{
    private static TestChain Chain => TestChain.Shared;
    private readonly SqliteLedgerStore _store = new();
    private readonly string _keys = Directory.CreateTempSubdirectory("exchange-client-keys-").FullName;
    private ActorSystem _node = null!;
    private string _endpoint = "";

    public async Task InitializeAsync()
    {
        var config = ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.remote.socket-tcp { hostname = "127.0.0.1", port = 0 }
            akka.actor.serialization-settings.allow-unregistered-types = false
            """)
            .WithFallback(ConfigurationFactory.ParseString(LedgerNode.TestLedgerConfig))
            .WithFallback(_store.Config)
            .WithFallback(NodeReference.Config);
        _node = ActorSystem.Create("exchange", config);
        var mempool = _node.ActorOf(MempoolActor.Props(MempoolSettings.Create(config), AccountSnapshot.Capture(ExchangeState.FromGenesis(Chain.Genesis))), NodePaths.Mempool);
        _node.EventStream.Subscribe(mempool, typeof(Exchange.Node.Mempool.BlockCommitted));
        _node.EventStream.Subscribe(mempool, typeof(CommittedView));
        var settings = LedgerSettings.Create(config, Chain.Genesis) with { Observers = [new MempoolObserver()] };
        var ledger = LedgerStartup.Start(_node, settings, NodePaths.Ledger);
        for (var h = 1UL; h <= 3; h++)
            Assert.IsType<BlockApplied>(await ledger.Ask<object>(Chain.Command(h), TimeSpan.FromSeconds(20)));
        _endpoint = $"127.0.0.1:{((ExtendedActorSystem)_node).Provider.DefaultAddress.Port}";
    }

    public async Task DisposeAsync()
    {
        await _node.Terminate();
        await _store.DisposeAsync();
        Directory.Delete(_keys, true);
    }

    private string KeyFileOf(KeyPair key, string name)
    {
        var path = Path.Combine(_keys, name);
        if (!File.Exists(path)) KeyFile.Write(path, key, false);
        return path;
    }

    private static Task<int> Invoke(System.CommandLine.Command command, params string[] args) => command.Parse(args).InvokeAsync();

    [Fact]
    public async Task Status_and_block_should_be_answered_by_the_remote_ledger()
    {
        await using (var client = ExchangeClient.Connect(_endpoint, TimeSpan.FromSeconds(10)))
        {
            var status = Assert.IsType<LedgerStatus>(await client.AskLedger(GetStatus.Instance));
            Assert.Equal(new LedgerStatus(3, Chain.AppHashAt(3), Chain.At(3).Block.Header.TimeUnixMs), status);
            var found = Assert.IsType<BlockFound>(await client.AskLedger(new GetBlock(2)));
            Assert.Equal(Chain.At(2), found.Block);
        }
        Assert.Equal(0, await Invoke(ClientCommands.Status(), "--node", _endpoint));
        Assert.Equal(0, await Invoke(ClientCommands.Block(), "2", "--node", _endpoint));
        Assert.Equal(ClientCommands.Refused, await Invoke(ClientCommands.Block(), "99", "--node", _endpoint));
        Assert.Equal(ClientCommands.BadArguments, await Invoke(ClientCommands.Status(), "--node", "no-port"));
    }

    [Fact]
    public async Task Deposit_signed_by_the_bridge_should_be_accepted_with_the_committed_nonce_plus_one()
    {
        await using (var client = ExchangeClient.Connect(_endpoint, TimeSpan.FromSeconds(10)))
        {
            var bridge = Assert.IsType<AccountInfo>(await client.AskLedger(new GetAccount(StateFixture.Bridge.PublicKey)));
            Assert.True(bridge.Exists);
        }
        var bridgeKey = KeyFileOf(StateFixture.Bridge, "bridge.key");
        Assert.Equal(0, await Invoke(ClientCommands.Tx(), "deposit", "--to", StateFixture.Alice.PublicKey.ToString(), "--amount", "1000", "--external-id", "cli-test-1",
            "--node", _endpoint, "--key", bridgeKey, "--chain", Chain.Genesis.ChainId));
        // Signed for another chain: the mempool refuses its signature.
        Assert.Equal(ClientCommands.Refused, await Invoke(ClientCommands.Tx(), "deposit", "--to", StateFixture.Alice.PublicKey.ToString(), "--amount", "1000",
            "--external-id", "cli-test-1", "--node", _endpoint, "--key", bridgeKey, "--chain", "another-chain-1"));
    }

    [Fact]
    public async Task Transaction_the_mempool_refuses_should_exit_non_zero_and_a_silent_node_should_time_out()
    {
        var alice = KeyFileOf(StateFixture.Alice, "alice.key");
        Assert.Equal(ClientCommands.Refused, await Invoke(ClientCommands.Tx(), "cancel", "--order", "7", "--node", _endpoint, "--key", alice, "--chain", "another-chain-1"));
        Assert.Equal(ClientCommands.BadArguments, await Invoke(ClientCommands.Tx(), "place", "-i", "BTC-X", "--side", "up", "--price", "1", "--size", "1",
            "--node", _endpoint, "--key", alice));
        Assert.Equal(ClientCommands.NoAnswer, await Invoke(ClientCommands.Status(), "--node", "127.0.0.1:9", "--timeout", "1"));
    }

    [Fact]
    public void Tx_builder_should_build_the_core_payloads()
    {
        var place = TxBuilder.Place("BTC-20261225-100000-C", "sell", "1250.5", "2", tif: "ioc", postOnly: true, clientOrderId: 9);
        Assert.Equal(Side.Sell, place.Side);
        Assert.Equal(OrderType.Limit, place.Type);
        Assert.Equal(TimeInForce.ImmediateOrCancel, place.TimeInForce);
        Assert.Equal(OrderFlags.PostOnly, place.Flags);
        Assert.Equal(9UL, place.ClientOrderId);
        Assert.Equal(OrderType.Market, TxBuilder.Place("BTC-20261225-100000-C", "buy", "", "1", type: "market").Type);
        Assert.Throws<FormatException>(() => TxBuilder.Place("X", "buy", "abc", "1"));
        Assert.Equal(new CancelOrder(42), TxBuilder.Cancel(42));
        Assert.Equal("0xabc", TxBuilder.Withdraw("12.5", "0xabc").Destination);
        var deposit = TxBuilder.Deposit(StateFixture.Alice.PublicKey, "100", "transfer-1");
        Assert.Equal(Hash32.Compute("transfer-1"u8), deposit.ExternalId);

        var tx = TxBuilder.Sign(Chain.Genesis.ChainId, StateFixture.Alice, 3, place);
        Assert.Equal(3UL, tx.Nonce);
        Assert.Equal(SignatureCheck.Valid, tx.VerifySignature(Chain.Genesis.ChainId));
    }
}

/// <summary>The client tests share the process's console and bind ports: one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClientCollection
{
    public const string Name = "client";
}
