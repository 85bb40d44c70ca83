using System.Text;
using Exchange.Node.Ledger;

namespace Exchange.Node.Hosting;

/// <summary>
/// The environment variables that override the configuration files, as HOCON appended after them so they win and so
/// substitutions in the files (the SQLite path under <c>exchange.node.data-dir</c>) follow them.
/// </summary>
public static class EnvironmentOverrides
{
    public const string Host = "EXCHANGE_HOST";
    public const string PublicHost = "EXCHANGE_PUBLIC_HOST";
    public const string Port = "EXCHANGE_PORT";
    public const string Seeds = "EXCHANGE_SEEDS";
    public const string KeyFile = "EXCHANGE_KEY_FILE";
    public const string DataDir = "EXCHANGE_DATA_DIR";
    public const string ConnectionString = "EXCHANGE_CONNECTION_STRING";
    public const string GenesisFile = "EXCHANGE_GENESIS";

    /// <summary>Every variable the node reads, for help text and docs.</summary>
    public static readonly IReadOnlyList<string> All = [Host, PublicHost, Port, Seeds, KeyFile, DataDir, ConnectionString, GenesisFile];

    /// <summary>
    /// HOCON for the variables that are set and not empty. <paramref name="systemName"/> completes seeds given as
    /// <c>host:port</c> into <c>akka.tcp://NAME@host:port</c>.
    /// </summary>
    public static string ToHocon(IReadOnlyDictionary<string, string?> environment, string systemName)
    {
        var hocon = new StringBuilder();
        void Set(string key, string value) => hocon.Append(key).Append(" = ").Append(Quote(value)).Append('\n');
        string? Get(string name) => environment.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        if (Get(Host) is { } host) Set("akka.remote.socket-tcp.hostname", host);
        if (Get(PublicHost) is { } publicHost) Set("akka.remote.socket-tcp.public-hostname", publicHost);
        if (Get(Port) is { } port)
        {
            if (!int.TryParse(port, out var p) || p is < 0 or > 65535) throw new NodeConfigException($"{Port}='{port}' is not a TCP port (0 to 65535)");
            hocon.Append("akka.remote.socket-tcp.port = ").Append(p).Append('\n');
        }
        if (Get(Seeds) is { } seeds)
        {
            var list = seeds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => SeedUri(s, systemName));
            hocon.Append("akka.cluster.seed-nodes = [").Append(string.Join(", ", list.Select(Quote))).Append("]\n");
        }
        if (Get(KeyFile) is { } keyFile) Set("exchange.node.key-file", keyFile);
        if (Get(GenesisFile) is { } genesis) Set(NodeServices.GenesisFileKey, genesis);
        // The storage variables are the ledger's (data directory, journal connection string); the persistence files
        // hand the journal's connection string on to the snapshot store and the read journal by substitution.
        hocon.Append(LedgerStorage.EnvironmentOverrides(Get));
        return hocon.ToString();
    }

    /// <summary><c>host:port</c> becomes <c>akka.tcp://NAME@host:port</c>; a full address is kept as it is.</summary>
    public static string SeedUri(string seed, string systemName)
    {
        if (seed.Contains("://", StringComparison.Ordinal)) return seed;
        var colon = seed.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(seed.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
            throw new NodeConfigException($"{Seeds}: '{seed}' is neither host:port nor akka.tcp://{systemName}@host:port");
        return $"akka.tcp://{systemName}@{seed}";
    }

    /// <summary>A HOCON quoted string: backslash and quote escaped, control characters refused.</summary>
    private static string Quote(string value)
    {
        if (value.Any(char.IsControl)) throw new NodeConfigException("environment overrides must not contain control characters");
        return "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
