using Akka.Configuration;
using Microsoft.Data.Sqlite;

namespace Exchange.Node.Ledger;

/// <summary>
/// Readies the configured journal store before the first persistent actor touches it. For SQLite: creates the
/// data directory, switches the file to write-ahead logging and checks that commits are synced to disk.
/// PostgreSQL needs nothing here: Akka.Persistence.Sql creates its tables itself.
/// </summary>
/// <remarks>
/// Durability: the journal acknowledges a block only after its transaction commits, and the ledger replies only
/// then. A process killed with SIGKILL loses nothing SQLite committed in any of its on-disk journal modes, since the commit has been
/// written to the operating system; a power loss or kernel crash loses nothing only when the commit was also
/// fsynced. WAL with <c>synchronous=FULL</c> fsyncs the log on every commit, so an acknowledged block survives
/// both; <c>NORMAL</c> would sync only at checkpoints and could lose the last blocks on power loss. The cost is one
/// fsync per journal write batch, small beside a block's work. <c>journal_mode=WAL</c> is stored in the database
/// file; <c>synchronous</c> is per connection and Microsoft.Data.Sqlite cannot set it from a connection string, so
/// the bundled SQLite's compiled default (FULL) is relied on and checked here.
/// </remarks>
public static class LedgerStorage
{
    /// <summary>SQLite's value for <c>PRAGMA synchronous = FULL</c>.</summary>
    public const int SynchronousFull = 2;

    /// <summary>The environment variables that override storage settings, and the keys they set.</summary>
    public static readonly IReadOnlyList<(string Variable, string Key)> EnvironmentKeys =
    [
        ("EXCHANGE_DATA_DIR", "exchange.node.data-dir"),
        ("EXCHANGE_CONNECTION_STRING", "akka.persistence.journal.sql.connection-string"),
    ];

    /// <summary>
    /// HOCON lines setting <see cref="EnvironmentKeys"/> from the variables that are set, to append after the
    /// configuration files before parsing them as one document. Akka's parser has no <c>${?VAR}</c>, and a
    /// substitution such as the journal's connection string is resolved against the final value in its own document only.
    /// </summary>
    public static string EnvironmentOverrides(Func<string, string?> variable)
    {
        var lines = new System.Text.StringBuilder();
        foreach (var (name, key) in EnvironmentKeys)
            if (variable(name) is { Length: > 0 } value)
                lines.Append(key).Append(" = ").Append('"').Append(value.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append("\"\n");
        return lines.ToString();
    }

    /// <summary>Prepares the stores of the configured journal and snapshot plugins and returns a line saying what they are.</summary>
    public static string Prepare(Config config)
    {
        var journal = config.GetString("akka.persistence.journal.plugin");
        if (string.IsNullOrEmpty(journal)) throw new ConfigurationException("akka.persistence.journal.plugin is not set: the ledger needs a journal (see hocon/persistence-sqlite.conf)");
        var prepared = new List<string>();
        foreach (var connection in SqliteConnectionStrings(config)) prepared.Add(PrepareSqlite(connection));
        return prepared.Count > 0
            ? "SQLite " + string.Join(", ", prepared)
            : $"journal {journal} on {config.GetString($"{journal}.provider-name")}";
    }

    /// <summary>The distinct SQLite databases the configured journal and snapshot plugins write; none on PostgreSQL.</summary>
    public static IReadOnlyList<string> SqliteConnectionStrings(Config config)
    {
        var plugins = new[] { config.GetString("akka.persistence.journal.plugin") ?? "", config.GetString("akka.persistence.snapshot-store.plugin") ?? "" };
        return plugins
            .Where(p => p.Length > 0 && (config.GetString($"{p}.provider-name") ?? "").StartsWith("SQLite", StringComparison.OrdinalIgnoreCase))
            .Select(p => config.GetString($"{p}.connection-string") ?? "")
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Creates the database's directory, turns on WAL and refuses a SQLite that would not sync commits.</summary>
    public static string PrepareSqlite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:")
            throw new ConfigurationException($"the SQLite ledger store must be a file, not '{connectionString}'");
        var path = Path.GetFullPath(builder.DataSource);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        var mode = Scalar(connection, "PRAGMA journal_mode=WAL;");
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            throw new ConfigurationException($"SQLite at {path} would not switch to write-ahead logging (journal_mode is {mode})");
        var synchronous = int.Parse(Scalar(connection, "PRAGMA synchronous;"), System.Globalization.CultureInfo.InvariantCulture);
        if (synchronous < SynchronousFull)
            throw new ConfigurationException(
                $"the SQLite library defaults to synchronous={synchronous}; the ledger needs FULL (2) so an acknowledged block survives a power loss. Use the e_sqlite3 bundled with Microsoft.Data.Sqlite.");
        return $"{path} (journal_mode=wal, synchronous={synchronous})";
    }

    private static string Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }
}
