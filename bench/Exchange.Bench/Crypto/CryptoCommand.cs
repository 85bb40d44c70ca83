using System.Globalization;
using Exchange.Bench.Results;
using Exchange.Core.Crypto;
using Exchange.Node.Crypto;

namespace Exchange.Bench.Crypto;

/// <summary>
/// <c>crypto [--seconds N]</c>: BIP340 throughput through the binding against the C loop, written
/// to bench/results/crypto.json. Each round measures every loop once, the binding and the C loop
/// back to back, so load that comes and goes on a shared machine hits both alike; a round during
/// which other processes took CPU is measured again, and the median of the clean rounds is reported.
/// Ratios are taken within each round and then their median, so slow drift in the machine's
/// speed (a virtual machine's neighbours) cancels out of them.
/// </summary>
internal static class CryptoCommand
{
    /// <summary>Distinct signatures per pass: enough to defeat any caching, small enough to stay in L2.</summary>
    internal const int SetSize = 1024;
    private const int Rounds = 5;

    /// <summary>A round during which other processes kept more than this many cores busy is measured again.</summary>
    private const double DisturbedAbove = 0.1;

    /// <summary>On a machine that is never quiet, the least disturbed rounds of this many are reported.</summary>
    private const int MaxAttempts = 3 * Rounds;

    private const double DefaultSeconds = 5;
    private static readonly TimeSpan WarmUpPerLoop = TimeSpan.FromSeconds(1);

    public static int Run(string[] args)
    {
        if (!TryParseSeconds(args, out var seconds)) return Usage.Print(Console.Error, 2);
        return SuiteRun.Record("crypto", layout =>
        {
            var figures = Measure(layout, TimeSpan.FromSeconds(seconds / Rounds));
            figures.Print(Console.Out);
            return figures.ToResults();
        });
    }

    private static bool TryParseSeconds(string[] args, out double seconds)
    {
        seconds = DefaultSeconds;
        return args switch
        {
            [] => true,
            ["--seconds", var n] => double.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) && seconds > 0,
            _ => false,
        };
    }

    private static CryptoFigures Measure(RepositoryLayout layout, TimeSpan roundLength)
    {
        // The C loop is built first, so a missing compiler or header stops the run before any waiting.
        var native = NativeVerifyLoop.Build(layout);
        var set = SignatureSet.Create(SetSize);
        var input = Path.Combine(layout.NativeBuildDirectory, "verify_input.bin");
        set.WriteRecords(input);

        var verifier = ParallelSignatureVerifier.AllCores;
        var loops = new CryptoLoops(set, verifier);
        Func<int>[] managed = [loops.SignPass, loops.VerifyPass, loops.VerifyKeptKeyPass, loops.VerifyAllCoresPass];
        // Warm-up: lets tiered compilation settle on optimized code and the thread pool start its threads.
        var warmUp = roundLength < WarmUpPerLoop ? roundLength : WarmUpPerLoop;
        foreach (var loop in managed) CryptoLoops.PerSecond(warmUp, loop);

        var rounds = new List<Round>();
        while (rounds.Count(r => r.OtherCores <= DisturbedAbove) < Rounds && rounds.Count < MaxAttempts)
        {
            var before = MachineLoad.Read();
            var round = new Round(
                Sign: CryptoLoops.PerSecond(roundLength, loops.SignPass),
                Verify: CryptoLoops.PerSecond(roundLength, loops.VerifyPass),
                VerifyKeptKey: CryptoLoops.PerSecond(roundLength, loops.VerifyKeptKeyPass),
                CVerify: native.VerifyPerSecond(input, roundLength),
                VerifyAllCores: CryptoLoops.PerSecond(roundLength, loops.VerifyAllCoresPass),
                OtherCores: before is { } b && MachineLoad.Read() is { } after ? after.OtherCoresSince(b) : 0);
            rounds.Add(round);
            var note = round.OtherCores > DisturbedAbove ? $": other processes used {round.OtherCores:0.00} cores, measuring again" : "";
            Console.Error.WriteLine($"round {rounds.Count}{note}");
        }

        var used = rounds.OrderBy(r => r.OtherCores).Take(Rounds).ToArray();
        return new CryptoFigures(verifier.Workers, used.Length, roundLength.TotalSeconds,
            SignPerSecOneCore: Median(used.Select(r => r.Sign)),
            VerifyPerSecOneCore: Median(used.Select(r => r.Verify)),
            VerifyKeptKeyPerSecOneCore: Median(used.Select(r => r.VerifyKeptKey)),
            VerifyPerSecAllCores: Median(used.Select(r => r.VerifyAllCores)),
            CVerifyPerSecOneCore: Median(used.Select(r => r.CVerify)),
            BindingVsCOneCore: Median(used.Select(r => r.Verify / r.CVerify)),
            AllCoresVsOneCore: Median(used.Select(r => r.VerifyAllCores / r.VerifyKeptKey)),
            OtherCores: used.Max(r => r.OtherCores),
            DisturbedAbove);
    }

    /// <summary>One measurement of every loop, and how busy the rest of the machine was meanwhile.</summary>
    private sealed record Round(double Sign, double Verify, double VerifyKeptKey, double CVerify, double VerifyAllCores, double OtherCores);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
