using System.Diagnostics;
using System.Runtime.InteropServices;
using Exchange.Core.Crypto;
using Exchange.Node.Hosting;
using Exchange.Node.Keys;

namespace Exchange.Node.Tests.MultiProcess;

/// <summary>
/// One real <c>exchange node</c> process on a loopback port, started from the build output with its own key file and
/// data directory. Its standard output is collected line by line for assertions.
/// </summary>
internal sealed partial class NodeProcess : IDisposable
{
    private readonly string _directory;
    private readonly string[] _configs;
    private readonly string _seeds;
    private readonly List<string> _lines = [];
    private Process? _process;

    public int Port { get; }
    public PublicKey Key { get; }
    public string Address => $"akka.tcp://exchange@127.0.0.1:{Port}";
    public string Name => $"node :{Port}";

    /// <summary>Further environment variables for the process, such as <see cref="EnvironmentOverrides.GenesisFile"/>.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public NodeProcess(string root, int port, string seeds, params string[] configs)
    {
        Port = port;
        _seeds = seeds;
        _configs = configs;
        _directory = Path.Combine(root, port.ToString());
        Directory.CreateDirectory(_directory);
        var key = KeyGenerator.Generate();
        KeyFile.Write(Path.Combine(_directory, "key.json"), key, overwrite: false);
        Key = key.PublicKey;
    }

    public void Start()
    {
        var binary = Path.Combine(AppContext.BaseDirectory, "exchange.dll");
        var start = new ProcessStartInfo(System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        start.ArgumentList.Add(binary);
        start.ArgumentList.Add("node");
        foreach (var config in _configs)
        {
            start.ArgumentList.Add("--config");
            start.ArgumentList.Add(config);
        }
        foreach (var name in EnvironmentOverrides.All) start.Environment.Remove(name);
        start.Environment[EnvironmentOverrides.Port] = Port.ToString();
        start.Environment[EnvironmentOverrides.Seeds] = _seeds;
        start.Environment[EnvironmentOverrides.KeyFile] = Path.Combine(_directory, "key.json");
        start.Environment[EnvironmentOverrides.DataDir] = Path.Combine(_directory, "data");
        foreach (var (name, value) in Environment) start.Environment[name] = value;

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data is null ? null : "stderr: " + e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private void Add(string? line)
    {
        if (line is null) return;
        lock (_lines) _lines.Add(line);
    }

    public bool IsRunning => _process is { HasExited: false };

    public int Count(string prefix)
    {
        lock (_lines) return _lines.Count(l => l.StartsWith(prefix, StringComparison.Ordinal));
    }

    public string Output
    {
        get
        {
            lock (_lines) return string.Join('\n', _lines.Where(l => !l.StartsWith('[') || l.StartsWith("[WARN") || l.StartsWith("[ERROR")));
        }
    }

    /// <summary>kill -9: no leave, no goodbye; the others find out through their failure detectors.</summary>
    public void Kill()
    {
        _process!.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Waits for a process that ends by itself (one that refuses to start) and returns its exit code.</summary>
    public async Task<int> ExitedAsync(int seconds = 30)
    {
        await _process!.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(seconds));
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as a service manager stops the node; returns its exit code.</summary>
    public async Task<int> TerminateAsync(int seconds = 30)
    {
        if (SendSignal(_process!.Id, SigTerm) != 0) throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed");
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(seconds));
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (IsRunning) Kill();
        _process?.Dispose();
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
