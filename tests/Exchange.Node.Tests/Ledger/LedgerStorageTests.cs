using Akka.Configuration;
using Exchange.Node.Ledger;
using Microsoft.Data.Sqlite;

namespace Exchange.Node.Tests.Ledger;

/// <summary>The store is readied and configured so that an acknowledged block survives a crash.</summary>
public sealed class LedgerStorageTests : IAsyncLifetime
{
    private readonly SqliteLedgerStore _store = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public void Sqlite_store_should_be_created_with_write_ahead_logging_and_full_sync()
    {
        var nested = new SqliteLedgerStore(Path.Combine(_store.DataDir, "node-1", "data"));
        var described = LedgerStorage.Prepare(nested.Config);
        // The journal and the snapshot store share the file: one database to prepare and to checkpoint.
        Assert.Equal([$"Data Source={nested.DatabasePath}"], LedgerStorage.SqliteConnectionStrings(nested.Config));
        Assert.Contains(nested.DatabasePath, described);
        Assert.True(File.Exists(nested.DatabasePath));

        // Every later connection, the journal's included, sees WAL (stored in the file) and FULL (the library default).
        using var connection = nested.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "PRAGMA synchronous;";
        Assert.Equal((long)LedgerStorage.SynchronousFull, command.ExecuteScalar());
    }

    [Fact]
    public void In_memory_sqlite_store_should_be_refused()
    {
        var error = Assert.Throws<ConfigurationException>(() => LedgerStorage.PrepareSqlite("Data Source=:memory:"));
        Assert.Contains("must be a file", error.Message);
        Assert.Throws<ConfigurationException>(() => LedgerStorage.PrepareSqlite("Data Source=ledger;Mode=Memory;Cache=Shared"));
    }

    [Fact]
    public void Postgres_store_should_need_no_preparation()
    {
        var config = ConfigurationFactory.ParseString(LedgerStore.RepositoryHocon("persistence-postgres.conf"));
        Assert.Equal("journal akka.persistence.journal.sql on PostgreSQL.15", LedgerStorage.Prepare(config));
        Assert.Empty(LedgerStorage.SqliteConnectionStrings(config));   // so no SQLite checkpointer starts either
        Assert.Equal("Host=localhost;Port=5432;Database=exchange;Username=exchange;Password=exchange",
            config.GetString("akka.persistence.query.journal.sql.connection-string"));
    }

    [Fact]
    public void Environment_should_override_the_data_directory_and_connection_string_of_the_repository_files()
    {
        var dataDir = new Dictionary<string, string> { ["EXCHANGE_DATA_DIR"] = "/var/lib/exchange" };
        var sqlite = ConfigurationFactory.ParseString(
            LedgerStore.RepositoryHocon("persistence-sqlite.conf") + "\nexchange.node.data-dir = \"data\"\n" + LedgerStorage.EnvironmentOverrides(dataDir.GetValueOrDefault));
        foreach (var plugin in Plugins)
        {
            Assert.Equal("Data Source=/var/lib/exchange/ledger.db", sqlite.GetString($"{plugin}.connection-string"));
            Assert.Equal("SQLite.MS", sqlite.GetString($"{plugin}.provider-name"));
        }

        var connection = new Dictionary<string, string> { ["EXCHANGE_CONNECTION_STRING"] = "Host=db;Password=a\"b\\c" };
        var postgres = ConfigurationFactory.ParseString(
            LedgerStore.RepositoryHocon("persistence-postgres.conf") + "\n" + LedgerStorage.EnvironmentOverrides(connection.GetValueOrDefault));
        foreach (var plugin in Plugins)
            Assert.Equal("Host=db;Password=a\"b\\c", postgres.GetString($"{plugin}.connection-string"));

        Assert.Equal("", LedgerStorage.EnvironmentOverrides(_ => null));
    }

    private static readonly string[] Plugins = ["akka.persistence.journal.sql", "akka.persistence.snapshot-store.sql", "akka.persistence.query.journal.sql"];

    [Fact]
    public void Ledger_settings_should_refuse_a_snapshot_interval_below_one()
    {
        var config = ConfigurationFactory.ParseString("exchange.ledger.snapshot-interval = 0");
        var error = Assert.Throws<ConfigurationException>(() => LedgerSettings.Create(config, TestChain.Shared.Genesis));
        Assert.Equal("exchange.ledger: snapshot-interval must be at least 1", error.Message);
        Assert.Equal(1000, LedgerSettings.Create(ConfigurationFactory.Empty, TestChain.Shared.Genesis).SnapshotInterval);
    }

    [Fact]
    public async Task Sqlite_checkpoints_off_the_commits_should_keep_the_log_below_the_size_at_which_a_commit_checkpoints()
    {
        // The same commits with and without the checkpointer: alone, the log grows to SQLite's own threshold (1,000
        // pages), where a commit stops to checkpoint; with it, the log starts over long before.
        var alone = await LargestLog(checkpointEvery: null);
        var helped = await LargestLog(checkpointEvery: TimeSpan.FromMilliseconds(20));
        Assert.True(alone.Bytes >= 1000 * 4096, $"the workload never reached SQLite's own threshold: the log grew to {alone.Bytes} bytes");
        Assert.True(helped.Bytes < 400 * 4096, $"the log grew to {helped.Bytes} bytes with checkpoints every 20 ms");
        Assert.True(helped.Checkpoints > 0);
    }

    private async Task<(long Bytes, long Checkpoints)> LargestLog(TimeSpan? checkpointEvery)
    {
        var store = new SqliteLedgerStore(Path.Combine(_store.DataDir, checkpointEvery is null ? "alone" : "helped"));
        LedgerStorage.Prepare(store.Config);
        var connectionString = $"Data Source={store.DatabasePath};Pooling=False";
        using var checkpointer = checkpointEvery is { } every ? SqliteCheckpointer.Start(connectionString, every, Akka.Event.NoLogger.Instance) : null;
        await using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE blocks (height INTEGER PRIMARY KEY, body BLOB NOT NULL);";
            create.ExecuteNonQuery();
        }
        var log = store.DatabasePath + "-wal";
        long largest = 0;
        var body = new byte[16 * 1024];
        for (var height = 1; height <= 500; height++)
        {
            // One commit per block, as the journal writes them, a little apart.
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO blocks (height, body) VALUES ($height, $body);";
            insert.Parameters.AddWithValue("$height", height);
            insert.Parameters.AddWithValue("$body", body);
            insert.ExecuteNonQuery();
            largest = Math.Max(largest, new FileInfo(log).Length);
            await Task.Delay(2);
        }
        return (largest, checkpointer?.CompleteCheckpoints ?? 0);
    }

    [Fact]
    public void Ledger_settings_should_checkpoint_sqlite_every_200_ms_by_default_and_refuse_a_negative_interval()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(200), LedgerSettings.Create(ConfigurationFactory.Empty, TestChain.Shared.Genesis).SqliteCheckpointInterval);
        var off = ConfigurationFactory.ParseString("exchange.ledger.sqlite-checkpoint-interval = 0s");
        Assert.Equal(TimeSpan.Zero, LedgerSettings.Create(off, TestChain.Shared.Genesis).SqliteCheckpointInterval);
        var negative = ConfigurationFactory.ParseString("exchange.ledger.sqlite-checkpoint-interval = -1s");
        var error = Assert.Throws<ConfigurationException>(() => LedgerSettings.Create(negative, TestChain.Shared.Genesis));
        Assert.StartsWith("exchange.ledger: sqlite-checkpoint-interval is not a duration", error.Message);
        Assert.Equal("sqlite-checkpoint-interval must not be negative",
            (LedgerSettings.Create(off, TestChain.Shared.Genesis) with { SqliteCheckpointInterval = TimeSpan.FromSeconds(-1) }).Check());
    }
}
