using System.Data.Common;
using Akka.Configuration;
using Exchange.Node.Ledger;
using Microsoft.Data.Sqlite;

namespace Exchange.Node.Tests.Ledger;

/// <summary>
/// One empty ledger database for one test: the persistence configuration from the repository's own
/// <c>hocon/persistence-*.conf</c> pointed at it, and plain SQL access for what a test does behind the node's back
/// (tampering with a row, hiding a table).
/// </summary>
public abstract class LedgerStore : IAsyncDisposable
{
    public const string JournalTable = "journal";
    public const string SnapshotTable = "snapshot";

    /// <summary>The persistence configuration of this store.</summary>
    public abstract Config Config { get; }

    public abstract DbConnection Open();

    public abstract ValueTask DisposeAsync();

    /// <summary>Runs one statement and returns the rows it changed.</summary>
    public int Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        return command.ExecuteNonQuery();
    }

    public List<T> Query<T>(string sql, Func<DbDataReader, T> read)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(read(reader));
        return rows;
    }

    /// <summary>The text of <c>hocon/NAME</c> in this repository.</summary>
    public static string RepositoryHocon(string name) => File.ReadAllText(Path.Combine(RepositoryRoot(), "hocon", name));

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Exchange.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Exchange.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>A SQLite ledger file in a fresh temporary data directory, configured by <c>hocon/persistence-sqlite.conf</c>.</summary>
public sealed class SqliteLedgerStore : LedgerStore
{
    public SqliteLedgerStore(string? dataDir = null)
    {
        DataDir = dataDir ?? Directory.CreateTempSubdirectory("exchange-ledger-").FullName;
        Config = ForDataDir(DataDir);
    }

    public string DataDir { get; }
    public string DatabasePath => Path.Combine(DataDir, "ledger.db");
    public override Config Config { get; }

    /// <summary>The repository's SQLite configuration with the node's data directory set, as base.conf does.</summary>
    public static Config ForDataDir(string dataDir) =>
        ConfigurationFactory.ParseString(RepositoryHocon("persistence-sqlite.conf") + $"\nexchange.node.data-dir = \"{dataDir}\"\n");

    public override DbConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDir, recursive: true); }
        catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
