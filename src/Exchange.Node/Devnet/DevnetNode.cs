using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Exchange.Node.Hosting;

namespace Exchange.Node.Devnet;

/// <summary>What the devnet knows of one node from the lines it prints (see <see cref="BlockPrinterActor"/> and the peer lines).</summary>
public sealed record NodeView(string Name, bool Running, ulong Height, uint Round, string AppHash, int Peers, double TxPerSecond, long Transactions, string? LastError);

/// <summary>
/// One node of a local devnet: an <c>exchange node</c> process on a loopback port with its own key, data directory and
/// log file. Its output is appended to <c>node.log</c> in its directory and read for the table: committed blocks
/// (height, round, transactions, app hash) and verified peers.
/// </summary>
public sealed partial class DevnetNode : IDisposable
{
    private readonly object _gate = new();
    private readonly Queue<(long TimeMs, int Txs)> _recent = new();
    private readonly Dictionary<ulong, string> _appHashes = [];
    private readonly Dictionary<ulong, long> _seenAt = [];
    private readonly Dictionary<ulong, long> _printedAt = [];
    private readonly Dictionary<ulong, int> _transactionsAt = [];
    private readonly HashSet<string> _peers = [];
    private Process? _process;
    private StreamWriter? _log;
    private ulong _height;
    private long _transactions;
    private uint _round;
    private string _appHash = "";
    private string? _lastError;

    public string Name { get; }
    public bool IsValidator { get; }
    public int Port { get; }
    public string KeyFile { get; }
    public string Directory { get; }

    /// <summary>The cores the process is started on (<see cref="CoreShares"/>), or null to leave it to the scheduler.</summary>
    public IReadOnlyList<int>? Cores { get; }

    public DevnetNode(string name, bool validator, int port, string keyFile, string directory, IReadOnlyList<int>? cores = null)
    {
        Name = name;
        IsValidator = validator;
        Port = port;
        KeyFile = keyFile;
        Directory = directory;
        Cores = cores;
    }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The node's process id while it runs (for tools that attach to it, such as the benchmark's GC watch).</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>CPU time (user and system) the node's process has used so far; zero when it is not running.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            try
            {
                return _process is { HasExited: false } p ? p.TotalProcessorTime : TimeSpan.Zero;
            }
            catch (InvalidOperationException)
            {
                return TimeSpan.Zero;   // exited between the check and the read
            }
        }
    }

    public void Start(string genesisFile, string seeds, string devnetConfig)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var (file, prefix) = ExchangeCommand();
        if (Cores is { } cores && CoreShares.Taskset is { } taskset)
        {
            prefix = ["-c", CoreShares.Format(cores), file, .. prefix];
            file = taskset;
        }
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        foreach (var arg in prefix) start.ArgumentList.Add(arg);
        start.ArgumentList.Add("node");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(IsValidator ? "hocon/validator.conf" : "hocon/fullnode.conf");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(devnetConfig);
        foreach (var variable in EnvironmentOverrides.All) start.Environment.Remove(variable);
        start.Environment[EnvironmentOverrides.Host] = "127.0.0.1";
        start.Environment[EnvironmentOverrides.Port] = Port.ToString(CultureInfo.InvariantCulture);
        start.Environment[EnvironmentOverrides.Seeds] = seeds;
        start.Environment[EnvironmentOverrides.KeyFile] = KeyFile;
        start.Environment[EnvironmentOverrides.DataDir] = Path.Combine(Directory, "data");
        start.Environment[EnvironmentOverrides.GenesisFile] = genesisFile;

        _log = new StreamWriter(Path.Combine(Directory, "node.log"), append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data is null ? null : "stderr: " + e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>The command that runs this very program: the apphost, or <c>dotnet exchange.dll</c>.</summary>
    /// <remarks>From another program (a test host, the benchmark) it is <c>dotnet exchange.dll</c> beside that program.</remarks>
    public static (string File, string[] Prefix) ExchangeCommand()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var name = Path.GetFileNameWithoutExtension(process);
        if (name == "exchange") return (process, []);
        var dotnet = name == "dotnet" ? process
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        return (dotnet, [Path.Combine(AppContext.BaseDirectory, "exchange.dll")]);
    }

    private void Read(string? line)
    {
        if (line is null) return;
        lock (_gate)
        {
            _log?.WriteLine(line);
            if (BlockLine.Starts(line)) ReadBlock(line);
            else if (line.StartsWith("peer verified ", StringComparison.Ordinal)) _peers.Add(line.Split(' ')[3]);
            else if (line.StartsWith("peer lost ", StringComparison.Ordinal)) _peers.Remove(line.Split(' ')[3]);
            else if (line.StartsWith("error:", StringComparison.Ordinal) || line.StartsWith("ledger halted", StringComparison.Ordinal)) _lastError = line;
        }
    }

    private void ReadBlock(string line)
    {
        if (BlockLine.TryParse(line) is not { } block) return;
        var height = block.Height;
        _height = Math.Max(_height, height);
        _round = block.Round;
        _appHash = block.AppHash;
        _appHashes[height] = _appHash;
        _seenAt.TryAdd(height, Stopwatch.GetTimestamp());
        if (block.PrintedUnixMicros is { } at) _printedAt.TryAdd(height, at);
        _transactionsAt.TryAdd(height, block.Transactions);
        _transactions += block.Transactions;
        var time = block.TimeUnixMs;
        _recent.Enqueue((time, block.Transactions));
        while (_recent.Count > 0 && _recent.Peek().TimeMs < time - 10_000) _recent.Dequeue();
    }

    public NodeView View()
    {
        lock (_gate)
        {
            double tps = 0;
            if (_recent.Count > 1)
            {
                var span = (_recent.Last().TimeMs - _recent.Peek().TimeMs) / 1000.0;
                tps = span > 0 ? _recent.Skip(1).Sum(b => b.Txs) / span : 0;
            }
            return new NodeView(Name, IsRunning, _height, _round, _appHash, _peers.Count, tps, _transactions, _lastError);
        }
    }

    /// <summary>The app hash this node printed for <paramref name="height"/>, if it has committed it.</summary>
    public string? AppHashAt(ulong height)
    {
        lock (_gate) return _appHashes.GetValueOrDefault(height);
    }

    /// <summary>When (<see cref="Stopwatch.GetTimestamp"/>) this process read the node's line for <paramref name="height"/>.</summary>
    public long? SeenAt(ulong height)
    {
        lock (_gate) return _seenAt.TryGetValue(height, out var t) ? t : null;
    }

    /// <summary>When (Unix microseconds, the node's clock) the node printed <paramref name="height"/>: its commit of that block.</summary>
    public long? PrintedAt(ulong height)
    {
        lock (_gate) return _printedAt.TryGetValue(height, out var t) ? t : null;
    }

    /// <summary>How many transactions the node's line for <paramref name="height"/> said its block holds, if it printed one.</summary>
    public int? TransactionsAt(ulong height)
    {
        lock (_gate) return _transactionsAt.TryGetValue(height, out var n) ? n : null;
    }

    /// <summary>kill -9.</summary>
    public void Kill()
    {
        if (!IsRunning) return;
        _process!.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, then waits for the node to leave the cluster; kills it if it does not within the timeout.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (!IsRunning) return;
        _ = SendSignal(_process!.Id, 15);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Kill();
        }
    }

    public void Dispose()
    {
        if (_process is null) return;
        Kill();
        _process.Dispose();
        _process = null;
        lock (_gate)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
