using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Exchange.Node.Tests.Ledger;

/// <summary>
/// A throw-away PostgreSQL server for the journal tests: a cluster initdb'd in a temporary directory, started with
/// pg_ctl on a free loopback port (its unix socket in that directory too), one database per test, and the whole
/// cluster stopped and deleted at the end. The binaries come from the distribution's package
/// (<c>scripts/ensure-deps.sh postgres</c> installs it; <c>./test.sh</c> runs that first). PostgreSQL refuses to run
/// as root, so as root every server command runs as the package's <c>postgres</c> user through runuser.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string User = "exchange";
    private const string SystemUser = "postgres";
    private string _bin = "";
    private string _root = "";
    private int _databases;

    private string DataDir => Path.Combine(_root, "data");
    private string SocketDir => Path.Combine(_root, "sockets");
    public int Port { get; private set; }

    private static bool AsRoot => Environment.IsPrivilegedProcess;

    public async Task InitializeAsync()
    {
        _bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin or on PATH. " +
            "Install them with: scripts/ensure-deps.sh postgres (apt-get install -y postgresql)");
        StopOrphans();
        _root = Directory.CreateTempSubdirectory("exchange-pg-").FullName;
        File.WriteAllText(Path.Combine(_root, "owner.pid"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(SocketDir);
        if (AsRoot) Run("chown", "-R", $"{SystemUser}:", _root);
        Server("initdb", "-D", DataDir, "-U", User, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync");
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            try
            {
                Server("pg_ctl", "-D", DataDir, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "-o",
                    $"-c listen_addresses=127.0.0.1 -p {Port} -k {SocketDir}", "start");
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Another process took the port between our probe and the server's bind: try another.
            }
        }
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"ledger_{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Database={database};Username={User}";

    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_root.Length == 0) return Task.CompletedTask;
        try { Server("pg_ctl", "-D", DataDir, "-m", "immediate", "-w", "stop"); }
        catch (InvalidOperationException) { }
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The newest installed server's bin directory, or the one on PATH.</summary>
    private static string? FindBinaries()
    {
        bool Has(string dir) => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var installed = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: decimal.TryParse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(d => Has(d.Dir))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Dir)
                .FirstOrDefault();
            if (installed is not null) return installed;
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(Has);
    }

    /// <summary>Stops and deletes clusters left by test runs that were killed before they could clean up.</summary>
    private void StopOrphans()
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), "exchange-pg-*"))
        {
            var owner = Path.Combine(dir, "owner.pid");
            if (!File.Exists(owner) || !int.TryParse(File.ReadAllText(owner), out var pid) || IsAlive(pid)) continue;
            try { Server("pg_ctl", "-D", Path.Combine(dir, "data"), "-m", "immediate", "-w", "stop"); }
            catch (InvalidOperationException) { }
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
        }
    }

    private static bool IsAlive(int pid)
    {
        try { return !Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Runs a server binary, as the postgres user when we are root.</summary>
    private void Server(string tool, params string[] args)
    {
        var path = Path.Combine(_bin, tool);
        if (AsRoot) Run("runuser", ["-u", SystemUser, "--", path, .. args]);
        else Run(path, args);
    }

    private static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} did not finish in 90 s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {stdout.Result}{stderr.Result}");
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}

/// <summary>One fresh database on the shared test server, configured by <c>hocon/persistence-postgres.conf</c>.</summary>
public sealed class PostgresLedgerStore : LedgerStore
{
    private readonly string _connectionString;

    private PostgresLedgerStore(string connectionString)
    {
        _connectionString = connectionString;
        Config = Akka.Configuration.ConfigurationFactory.ParseString(
            RepositoryHocon("persistence-postgres.conf") + $"\nakka.persistence.journal.sql.connection-string = \"{connectionString}\"\n");
    }

    public static async Task<PostgresLedgerStore> CreateAsync(PostgresServer server) => new(await server.CreateDatabaseAsync());

    public override Akka.Configuration.Config Config { get; }

    public override System.Data.Common.DbConnection Open()
    {
        var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        return connection;
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
