using Akka.Actor;
using Akka.Configuration;
using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.State;
using Exchange.Node.Application;
using Exchange.Node.Ledger;
using Exchange.Node.Market;
using Exchange.Node.Mempool;
using Exchange.Node.Oracle;
using Exchange.Node.Peers;
using Exchange.Node.Sync;
using Exchange.Node.Validator;

namespace Exchange.Node.Hosting;

/// <summary>The well-known names of a node's top-level actors: peers and clients address them as <c>/user/NAME</c>.</summary>
public static class NodePaths
{
    public const string Ledger = "ledger";
    public const string Mempool = "mempool";
    public const string Application = "application";
    public const string Validator = ValidatorPeersActor.DefaultValidatorName;
    public const string ValidatorPeers = "validator-peers";
    public const string MempoolPeers = "mempool-peers";
    public const string MarketData = "market";
    public const string MarginEngine = "margin";
    public const string Oracle = "oracle";
    public const string BlockSync = "sync";
    public const string Status = "status";
}

/// <summary>
/// The exchange on one node: ledger, mempool, read side and application on every node; the oracle, the validator and
/// its peer feed on validators. Started in each incarnation's actor system once it joins; everything it keeps on disk
/// (journal, sign state, consensus WAL) lives under the node's data directory, so a new incarnation or a new process
/// continues where the last one stopped.
/// </summary>
public static class NodeServices
{
    public const string GenesisFileKey = "exchange.node.genesis-file";

    public static Genesis LoadGenesis(Config config, NodeSettings settings)
    {
        var path = config.GetString(GenesisFileKey, "");
        if (string.IsNullOrWhiteSpace(path)) throw new NodeConfigException($"{GenesisFileKey} is not set (EXCHANGE_GENESIS)");
        if (!File.Exists(path)) throw new NodeConfigException($"{GenesisFileKey}: {path} does not exist");
        Genesis genesis;
        try
        {
            genesis = Genesis.FromJson(File.ReadAllText(path));
        }
        catch (FormatException e)
        {
            throw new NodeConfigException($"{path}: {e.Message}");
        }
        if (genesis.ChainId != settings.ChainId)
            throw new NodeConfigException($"{path} is the genesis of chain '{genesis.ChainId}', this node is configured for '{settings.ChainId}'");
        return genesis;
    }

    /// <summary>
    /// Reads every section of the exchange's settings that <see cref="Start"/> reads, so that a bad value stops the
    /// node command with the key's name before the node joins anyone.
    /// </summary>
    /// <exception cref="NodeConfigException">A value is malformed or out of range.</exception>
    public static void CheckSettings(Config config, Genesis genesis)
    {
        try
        {
            _ = LedgerSettings.Create(config, genesis);
            _ = Timeouts(config);
            _ = ReadModelSettings.Create(config);
            _ = MempoolSettings.Create(config);
            _ = OracleSettings.Create(config);
            _ = ApplicationSettings.Create(config, "", ActorRefs.Nobody, ActorRefs.Nobody, ActorRefs.Nobody, default);
        }
        catch (Exception e) when (e is ConfigurationException or ArgumentException or FormatException)
        {
            throw new NodeConfigException(e.Message, e);
        }
    }

    public static void Start(ActorSystem system, Config config, NodeSettings settings, KeyPair key, Genesis genesis)
    {
        var readModel = ReadModelSettings.Create(config);
        var ledgerSettings = LedgerSettings.Create(config, genesis) with { Observers = [new MempoolObserver(), new ReadModelObserver(readModel)] };
        system.ActorOf(MarketDataActor.Props(readModel), NodePaths.MarketData);
        var margin = system.ActorOf(MarginEngineActor.Props(), NodePaths.MarginEngine);
        var mempool = system.ActorOf(MempoolActor.Props(MempoolSettings.Create(config), AccountSnapshot.Capture(ExchangeState.FromGenesis(genesis))), NodePaths.Mempool);
        system.EventStream.Subscribe(mempool, typeof(Mempool.BlockCommitted));
        system.EventStream.Subscribe(mempool, typeof(CommittedView));
        system.ActorOf(MempoolPeersActor.Props(mempool), NodePaths.MempoolPeers);
        var ledger = LedgerStartup.Start(system, ledgerSettings, NodePaths.Ledger);
        system.ActorOf(BlockSyncActor.Props(ledger, BlockSyncSettings.For(settings.Role)), NodePaths.BlockSync);
        var application = system.ActorOf(ApplicationActor.Props(ApplicationSettings.Create(config, genesis.ChainId, ledger, mempool, margin, key.PublicKey)), NodePaths.Application);

        if (settings.Role != NodeRole.Validator) return;
        var oracleSettings = OracleSettings.Create(config);
        var oracle = system.ActorOf(OracleActor.Props(oracleSettings, new SimulatedPriceSource(oracleSettings.SimulatedFeed(genesis), key.PublicKey), key.PublicKey),
            NodePaths.Oracle);
        var validatorDirectory = Path.Combine(settings.DataDir, "validator");
        Directory.CreateDirectory(validatorDirectory);
        var consensus = ConsensusConfig.Create(genesis.ChainId) with { Timeouts = Timeouts(config) };
        var validator = system.ActorOf(ValidatorActor.Props(new ValidatorSettings(consensus, key, validatorDirectory, application)
            {
                Oracle = oracle,
                Mempool = mempool,
                // A validator that starts a little late (its ledger recovering) catches up from its peers' recent decisions;
                // further back is block sync's.
                RecentDecisions = 64,
            }),
            NodePaths.Validator);
        system.ActorOf(ValidatorPeersActor.Props(validator), NodePaths.ValidatorPeers);
    }

    /// <summary><c>exchange.consensus.timeouts</c>: the round timeouts, shortened for a loopback devnet by its config.</summary>
    private static TimeoutConfig Timeouts(Config config)
    {
        var c = config.GetConfig("exchange.consensus.timeouts");
        if (c is null || c.IsEmpty) return TimeoutConfig.Default;
        long Ms(string key, long fallback) => c.HasPath(key) ? (long)c.GetTimeSpan(key).TotalMilliseconds : fallback;
        var d = TimeoutConfig.Default;
        return d with
        {
            ProposeMs = Ms("propose", d.ProposeMs),
            ProposeDeltaMs = Ms("propose-delta", d.ProposeDeltaMs),
            PrevoteMs = Ms("prevote", d.PrevoteMs),
            PrevoteDeltaMs = Ms("prevote-delta", d.PrevoteDeltaMs),
            PrecommitMs = Ms("precommit", d.PrecommitMs),
            PrecommitDeltaMs = Ms("precommit-delta", d.PrecommitDeltaMs),
        };
    }
}
