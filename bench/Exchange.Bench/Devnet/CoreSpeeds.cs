using System.Diagnostics;
using System.Runtime.InteropServices;
using Exchange.Core.Crypto;
using Exchange.Node.Keys;

namespace Exchange.Bench.Devnet;

/// <summary>
/// Each core's BIP340 verify rate at the moment, one thread pinned to one core at a time, with the key parsed on every
/// check as <c>verify_per_sec_one_core</c> in crypto.json is measured.
/// </summary>
/// <remarks>
/// The bound divides one core's rate, measured once by the crypto suite, by the validators, times the cores. On this
/// machine's guest the cores are not always equal: for hours at a time one of them verifies at two thirds of the
/// other's rate (the host's load on it, which the guest cannot see), so the bound is more than the machine can give
/// during such a spell. The devnet bench measures both cores before the devnet starts and after it stops, so each
/// run says what the machine could verify at the time, next to the fixed bound it is judged by.
/// </remarks>
internal static partial class CoreSpeeds
{
    /// <summary>Verifications per second on each core, in core order; null where a thread cannot be pinned (not Linux).</summary>
    public static double[]? Measure(TimeSpan perCore)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var set = Signed(256);
        var rates = new double[Environment.ProcessorCount];
        for (var core = 0; core < rates.Length; core++)
        {
            double? rate = null;
            var c = core;
            var thread = new Thread(() => rate = PinnedRate(c, set, perCore)) { IsBackground = true, Name = $"core {core} probe" };
            thread.Start();
            thread.Join();
            if (rate is not { } r) return null;
            rates[core] = r;
        }
        return rates;
    }

    private static double? PinnedRate(int core, (PublicKey Key, Hash32 Message, Signature Signature)[] set, TimeSpan duration)
    {
        if (core >= 64) return null;
        var mask = 1UL << core;
        if (SchedSetAffinity(0, sizeof(ulong), ref mask) != 0) return null;
        // A short warm-up, so the first pass does not pay for the library's tables coming into the cache.
        foreach (var (key, message, signature) in set) Schnorr.Verify(key, message, signature);
        long done = 0;
        var start = Stopwatch.GetTimestamp();
        TimeSpan elapsed;
        do
        {
            foreach (var (key, message, signature) in set)
                if (Schnorr.Verify(key, message, signature) != SignatureCheck.Valid) throw new InvalidOperationException("a probe signature stopped verifying");
            done += set.Length;
            elapsed = Stopwatch.GetElapsedTime(start);
        } while (elapsed < duration);
        return done / elapsed.TotalSeconds;
    }

    private static (PublicKey, Hash32, Signature)[] Signed(int count)
    {
        var aux = new byte[32];
        var set = new (PublicKey, Hash32, Signature)[count];
        for (var i = 0; i < count; i++)
        {
            var key = KeyGenerator.Generate();
            var message = Hash32.Compute(BitConverter.GetBytes(i));
            set[i] = (key.PublicKey, message, key.Sign(message, aux));
        }
        return set;
    }

    /// <summary>Pins the calling thread (pid 0) to the cores in the mask.</summary>
    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nint cpusetsize, ref ulong mask);
}
