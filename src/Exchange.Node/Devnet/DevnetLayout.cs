using Exchange.Core.Crypto;
using Exchange.Core.Markets;
using Exchange.Core.Numerics;
using Exchange.Core.State;
using Exchange.Node.Keys;

namespace Exchange.Node.Devnet;

/// <summary>
/// A local devnet on disk: one directory holding the genesis, every key (validators, full nodes, the
/// listing authority, the bridge, funded traders) and one data directory per node. Created once; a
/// later start finds it and continues from the stored chain, so the genesis and keys never change
/// under a running chain.
/// </summary>
public sealed class DevnetLayout
{
    public const string ChainId = "exchange-devnet-1";
    public const int Traders = 20;

    public string Root { get; }
    public string GenesisPath => Path.Combine(Root, "genesis.json");
    public string KeysDirectory => Path.Combine(Root, "keys");

    private DevnetLayout(string root) => Root = Path.GetFullPath(root);

    public string ValidatorKey(int i) => Path.Combine(KeysDirectory, $"validator-{i}.json");
    public string FullNodeKey(int i) => Path.Combine(KeysDirectory, $"fullnode-{i}.json");
    public string TraderKey(int i) => Path.Combine(KeysDirectory, $"trader-{i}.json");
    public string AuthorityKey => Path.Combine(KeysDirectory, "authority.json");
    public string BridgeKey => Path.Combine(KeysDirectory, "bridge.json");
    public string NodeDirectory(string name) => Path.Combine(Root, "nodes", name);

    /// <summary>Opens the devnet under <paramref name="root"/>, creating keys and genesis on first use.</summary>
    public static DevnetLayout OpenOrCreate(string root, int validators, int fullNodes, DateTimeOffset now)
    {
        var layout = new DevnetLayout(root);
        if (File.Exists(layout.GenesisPath))
        {
            var genesis = Genesis.FromJson(File.ReadAllText(layout.GenesisPath));
            if (genesis.Validators.Count != validators)
                throw new InvalidOperationException(
                    $"{layout.Root} holds a devnet of {genesis.Validators.Count} validators; start it with --validators {genesis.Validators.Count} or choose another --data-dir");
            for (var i = 0; i < fullNodes; i++) layout.KeyFor(layout.FullNodeKey(i));
            return layout;
        }

        Directory.CreateDirectory(layout.KeysDirectory);
        var validatorKeys = Enumerable.Range(0, validators).Select(i => layout.KeyFor(layout.ValidatorKey(i))).ToArray();
        for (var i = 0; i < fullNodes; i++) layout.KeyFor(layout.FullNodeKey(i));
        var traders = Enumerable.Range(0, Traders).Select(i => layout.KeyFor(layout.TraderKey(i))).ToArray();
        var authority = layout.KeyFor(layout.AuthorityKey);
        var bridge = layout.KeyFor(layout.BridgeKey);
        var g = CreateGenesis(now, validatorKeys.Select(k => k.PublicKey).ToArray(), traders.Select(k => k.PublicKey).ToArray(),
            authority.PublicKey, bridge.PublicKey);
        // Written last and atomically: a directory with a genesis is a complete devnet.
        var temp = layout.GenesisPath + ".tmp";
        File.WriteAllText(temp, g.ToJson());
        File.Move(temp, layout.GenesisPath);
        return layout;
    }

    public Genesis LoadGenesis() => Genesis.FromJson(File.ReadAllText(GenesisPath));

    private KeyPair KeyFor(string path)
    {
        if (File.Exists(path)) return KeyFile.Read(path);
        var key = KeyGenerator.Generate();
        KeyFile.Write(path, key, overwrite: false);
        return key;
    }

    /// <summary>
    /// The devnet's genesis: equal validator stake, funded traders, and BTC and ETH option series (a
    /// daily, a weekly and a monthly expiry over a strike grid around the index) listed at genesis.
    /// </summary>
    public static Genesis CreateGenesis(DateTimeOffset now, IReadOnlyList<PublicKey> validators, IReadOnlyList<PublicKey> traders,
        PublicKey authority, PublicKey bridge) => new(
        ChainId,
        now.ToUnixTimeMilliseconds(),
        authority,
        bridge,
        [.. validators.Select(v => (v, Money.FromWhole(1_000_000)))],
        [.. traders.Select(t => (t, Money.FromWhole(1_000_000))), (authority, Money.FromWhole(1)), (bridge, Money.FromWhole(1))],
        [
            new ListingRule("BTC", Price.FromWhole(90_000), Price.FromWhole(110_000), Price.FromWhole(5_000), 1, 1, 1,
                InstrumentSpec.Create(Price.Parse("0.1"), Quantity.Parse("0.1"), Quantity.Parse("0.1"))),
            new ListingRule("ETH", Price.FromWhole(3_000), Price.FromWhole(5_000), Price.FromWhole(250), 1, 1, 1,
                InstrumentSpec.Create(Price.Parse("0.01"), Quantity.Parse("1"), Quantity.Parse("1"))),
        ],
        [new InitialIndex("BTC", Price.FromWhole(100_000), 550_000), new InitialIndex("ETH", Price.FromWhole(4_000), 650_000)],
        new FeeSchedule(MakerBps: 3, TakerBps: 3, PremiumCapBps: 1_250, InsuranceShareBps: 5_000),
        new RiskParameters(RiskFreeRateMicros: 0, MarkBandBps: 3_000, LiquidationPenaltyBps: 100, LiquidationBandBps: 1_000, OracleMaxAgeMs: 60_000));
}
