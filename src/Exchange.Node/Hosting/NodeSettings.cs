using Akka.Actor;
using Akka.Configuration;
using Exchange.Core.Ledger;

namespace Exchange.Node.Hosting;

/// <summary>The part a node plays in the cluster, from <c>akka.cluster.roles</c>.</summary>
public enum NodeRole
{
    /// <summary>Holds a key with stake in the ledger and takes part in consensus.</summary>
    Validator = 1,
    /// <summary>Follows the chain, verifies every commit and serves reads; never votes.</summary>
    FullNode = 2,
}

/// <summary>
/// The node's settings, read once from the <c>exchange.node</c> section and the cluster keys it depends on. Every
/// value is checked here, so an actor never meets a half-valid setting.
/// </summary>
public sealed record NodeSettings(
    string SystemName,
    string ChainId,
    NodeRole Role,
    IReadOnlyList<string> Roles,
    string KeyFile,
    string DataDir,
    IReadOnlyList<Address> SeedNodes,
    TimeSpan HandshakeRetryInterval,
    bool RejoinEnabled,
    TimeSpan RejoinMinBackoff,
    TimeSpan RejoinMaxBackoff,
    TimeSpan IslandCheckInterval)
{
    public const string ValidatorRole = "validator";
    public const string FullNodeRole = "fullnode";

    public static NodeSettings Create(Config config)
    {
        var node = config.GetConfig("exchange.node") ?? throw new NodeConfigException("the exchange.node section is missing");
        var systemName = node.GetString("system-name", "");
        if (string.IsNullOrEmpty(systemName) || !systemName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new NodeConfigException($"exchange.node.system-name '{systemName}' must be letters, digits, '-' or '_'");

        var chainId = node.GetString("chain-id", "");
        if (!Names.IsValidChainId(chainId)) throw new NodeConfigException($"exchange.node.chain-id '{chainId}' is not a valid chain id");

        var roles = (config.GetStringList("akka.cluster.roles") ?? []).ToArray();
        var known = roles.Where(r => r is ValidatorRole or FullNodeRole).Distinct().ToArray();
        if (known.Length != 1)
            throw new NodeConfigException($"akka.cluster.roles must hold exactly one of '{ValidatorRole}' or '{FullNodeRole}' (got [{string.Join(", ", roles)}]); start from hocon/validator.conf or hocon/fullnode.conf");
        var role = known[0] == ValidatorRole ? NodeRole.Validator : NodeRole.FullNode;

        var keyFile = node.GetString("key-file", "");
        if (string.IsNullOrWhiteSpace(keyFile))
            throw new NodeConfigException("exchange.node.key-file is not set (set it in the config or EXCHANGE_KEY_FILE; create a key with: exchange keygen --out FILE)");
        var dataDir = node.GetString("data-dir", "");
        if (string.IsNullOrWhiteSpace(dataDir)) throw new NodeConfigException("exchange.node.data-dir is empty");

        var seeds = new List<Address>();
        foreach (var seed in config.GetStringList("akka.cluster.seed-nodes") ?? [])
        {
            if (!Address.TryParse(seed, out var address) || address.Host is null || address.Port is null)
                throw new NodeConfigException($"akka.cluster.seed-nodes: '{seed}' is not an address like akka.tcp://{systemName}@host:port");
            if (address.System != systemName)
                throw new NodeConfigException($"akka.cluster.seed-nodes: '{seed}' names actor system '{address.System}', this node's is '{systemName}'");
            seeds.Add(address);
        }

        var retry = Positive(node, "handshake.retry-interval");
        var minBackoff = Positive(node, "rejoin.min-backoff");
        var maxBackoff = Positive(node, "rejoin.max-backoff");
        if (maxBackoff < minBackoff) throw new NodeConfigException("exchange.node.rejoin.max-backoff is shorter than min-backoff");

        return new NodeSettings(systemName, chainId, role, roles, keyFile, dataDir, seeds, retry, node.GetBoolean("rejoin.enabled", true), minBackoff, maxBackoff,
            Positive(node, "rejoin.island-check-interval"));
    }

    private static TimeSpan Positive(Config node, string key)
    {
        var value = node.GetTimeSpan(key, TimeSpan.Zero);
        return value > TimeSpan.Zero ? value : throw new NodeConfigException($"exchange.node.{key} must be a positive duration");
    }
}
