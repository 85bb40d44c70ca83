using System.Runtime.InteropServices;
using Exchange.Bench.Crypto;

namespace Exchange.Bench.Devnet;

/// <summary>
/// Each core's BIP340 verify rate at the moment, one thread pinned to one core at a time, with the key parsed on every
/// check as <c>verify_per_sec_one_core</c> in crypto.json is measured.
/// </summary>
/// <remarks>
/// The bound divides one core's rate, measured once by the crypto suite, by the validators, times the cores. On this
/// machine's guest the cores are not always equal: for long spells one of them verifies at two thirds of the other's
/// rate (a busy hyperthread sibling on the host, which the guest cannot see), so the bound is more than the machine can give
/// during such a spell. The devnet bench measures both cores before the devnet starts and after it stops, so each
/// run says what the machine could verify at the time, next to the fixed bound it is judged by.
/// </remarks>
internal static partial class CoreSpeeds
{
    /// <summary>Verifications per second on each core, in core order; null where a thread cannot be pinned (not Linux).</summary>
    public static double[]? Measure(TimeSpan perCore)
    {
        if (!OperatingSystem.IsLinux()) return null;
        // The crypto suite's own signatures and key-parsing pass, so a core's rate here is the bound's rate there.
        var loops = CryptoLoops.OverTheSuitesSet();
        var rates = new double[Environment.ProcessorCount];
        for (var core = 0; core < rates.Length; core++)
        {
            double? rate = null;
            var c = core;
            var thread = new Thread(() => rate = PinnedRate(c, loops, perCore)) { IsBackground = true, Name = $"core {core} probe" };
            thread.Start();
            thread.Join();
            if (rate is not { } r) return null;
            rates[core] = r;
        }
        return rates;
    }

    private static double? PinnedRate(int core, CryptoLoops loops, TimeSpan duration)
    {
        if (core >= 64) return null;
        var mask = 1UL << core;
        if (SchedSetAffinity(0, sizeof(ulong), ref mask) != 0) return null;
        // One pass first, so the measured ones do not pay for the library's tables coming into the cache.
        loops.VerifyPass();
        return CryptoLoops.PerSecond(duration, loops.VerifyPass);
    }

    /// <summary>Pins the calling thread (pid 0) to the cores in the mask.</summary>
    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nint cpusetsize, ref ulong mask);
}
