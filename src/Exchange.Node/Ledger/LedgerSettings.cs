using Akka.Configuration;
using Exchange.Core.State;

namespace Exchange.Node.Ledger;

/// <summary>The ledger actor's settings: <c>exchange.ledger</c> (see the embedded <c>ledger.conf</c>) and the chain's genesis.</summary>
public sealed record LedgerSettings(
    Genesis Genesis,
    string PersistenceId,
    string JournalPluginId,
    string SnapshotPluginId,
    string QueryJournalPluginId,
    int SnapshotInterval,
    int SnapshotsToKeep,
    int RecentBlocks,
    int MaxBlocksPerRequest,
    bool StopNodeOnHalt)
{
    /// <summary>Views taken on the ledger's thread after each block and after recovery, published once durable (see <see cref="ILedgerObserver"/>).</summary>
    public IReadOnlyList<ILedgerObserver> Observers { get; init; } = [];

    /// <summary>
    /// The encoded bytes one <see cref="BlockRange"/> carries at most beyond its first block, so a reply to a peer
    /// stays well below the remote frame size (<see cref="LedgerWireCodec.BlockRangeBudget"/>; smaller in tests).
    /// </summary>
    public int BlockRangeBudget { get; init; } = LedgerWireCodec.BlockRangeBudget;

    /// <summary>How often a SQLite journal's log is checkpointed off the commits (<see cref="SqliteCheckpointer"/>); zero leaves it to SQLite.</summary>
    public TimeSpan SqliteCheckpointInterval { get; init; }

    /// <summary>
    /// The ledger's reference configuration: its settings and the serializer bindings for what it persists. An
    /// actor system that runs the ledger must be created with it as a fallback, since bindings are read at start.
    /// </summary>
    public static Config DefaultConfig { get; } = ConfigurationFactory.ParseString(ReadEmbedded("Exchange.Node.Ledger.ledger.conf"));

    public static LedgerSettings Create(Config config, Genesis genesis)
    {
        var c = config.WithFallback(DefaultConfig).GetConfig("exchange.ledger");
        var settings = new LedgerSettings(
            genesis,
            c.GetString("persistence-id"),
            c.GetString("journal-plugin"),
            c.GetString("snapshot-plugin"),
            c.GetString("query-journal-plugin"),
            c.GetInt("snapshot-interval"),
            c.GetInt("snapshots-to-keep"),
            c.GetInt("recent-blocks"),
            c.GetInt("max-blocks-per-request"),
            c.GetBoolean("stop-node-on-halt"))
        {
            SqliteCheckpointInterval = Duration(c, "sqlite-checkpoint-interval"),
        };
        return settings.Check() is { } error ? throw new ConfigurationException($"exchange.ledger: {error}") : settings;
    }

    /// <summary>Null when usable, else the first problem.</summary>
    public string? Check()
    {
        if (string.IsNullOrWhiteSpace(PersistenceId)) return "persistence-id must not be empty";
        if (string.IsNullOrWhiteSpace(QueryJournalPluginId)) return "query-journal-plugin must not be empty";
        if (SnapshotInterval < 1) return "snapshot-interval must be at least 1";
        if (SnapshotsToKeep < 1) return "snapshots-to-keep must be at least 1";
        if (RecentBlocks < 1) return "recent-blocks must be at least 1";
        if (MaxBlocksPerRequest < 1) return "max-blocks-per-request must be at least 1";
        if (SqliteCheckpointInterval < TimeSpan.Zero) return "sqlite-checkpoint-interval must not be negative";
        return null;
    }

    private static TimeSpan Duration(Config c, string key)
    {
        try
        {
            return c.GetTimeSpan(key, TimeSpan.Zero);
        }
        catch (FormatException e)
        {
            throw new ConfigurationException($"exchange.ledger: {key} is not a duration (e.g. 200ms, or 0s for none): {e.Message}", e);
        }
    }

    private static string ReadEmbedded(string name)
    {
        using var stream = typeof(LedgerSettings).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
