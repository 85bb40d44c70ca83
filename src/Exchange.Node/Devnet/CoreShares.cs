using System.Diagnostics;
using System.Globalization;

namespace Exchange.Node.Devnet;

/// <summary>Whether a devnet confines each node process to a share of the machine's cores.</summary>
public enum CorePinning
{
    /// <summary>Pin when the devnet has more node processes than the cores it may use (docs/operations.md, "A local devnet").</summary>
    Auto,

    /// <summary>Leave every node to the kernel's scheduler.</summary>
    Off,
}

/// <summary>
/// Which cores each node process of a devnet may run on. With more nodes than cores, several processes share each core
/// anyway; confined to one, a node's threads stop migrating between cores and find their caches warm, its collections
/// stop it for about half as long, and the runtime sizes its thread pool and signature checks for the one core it
/// has. On two cores that cut the half-load median by about a third (docs/benchmarks.md, devnet, session 16). With
/// as many cores as nodes or more, the scheduler keeps its freedom: that case was not measured.
/// </summary>
public static class CoreShares
{
    /// <summary>
    /// The cores of <paramref name="cores"/> for each of <paramref name="nodes"/> nodes, round robin, or null for every
    /// node when they are not to be pinned.
    /// </summary>
    public static IReadOnlyList<int>?[] Assign(int nodes, IReadOnlyList<int> cores, CorePinning pinning)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodes);
        var shares = new IReadOnlyList<int>?[nodes];
        if (pinning == CorePinning.Off || cores.Count == 0 || nodes <= cores.Count) return shares;
        for (var i = 0; i < nodes; i++) shares[i] = [cores[i % cores.Count]];
        return shares;
    }

    /// <summary>
    /// The cores this process may run on, lowest first; empty where that cannot be read (a platform without affinity
    /// masks, or more than 64 cores).
    /// </summary>
    public static IReadOnlyList<int> Allowed()
    {
        if (!OperatingSystem.IsLinux() || Environment.ProcessorCount > 64) return [];
        using var self = Process.GetCurrentProcess();
        var mask = (ulong)(long)self.ProcessorAffinity;
        return Enumerable.Range(0, 64).Where(core => (mask & (1UL << core)) != 0).ToArray();
    }

    /// <summary>A core list as <c>taskset -c</c> reads it: <c>0,2,5</c>.</summary>
    public static string Format(IReadOnlyList<int> cores) => string.Join(",", cores.Select(c => c.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// util-linux's <c>taskset</c>, which starts a program on the given cores, found on the PATH; null where it is
    /// missing. Starting under it, rather than pinning a process once it runs, confines every thread from the first,
    /// and the runtime reads its core count from the same mask.
    /// </summary>
    public static string? Taskset { get; } = FindOnPath("taskset");

    private static string? FindOnPath(string program) =>
        OperatingSystem.IsLinux()
            ? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists)
            : null;
}
