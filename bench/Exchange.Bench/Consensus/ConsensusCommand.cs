using System.Diagnostics;
using System.Globalization;
using Exchange.Bench.Results;
using Exchange.Core.Crypto;
using Exchange.Simulation;

namespace Exchange.Bench.Consensus;

/// <summary>
/// <c>consensus [--seconds N]</c>: the protocol's own overhead, measured in the deterministic simulator with zero
/// network delay and no faults, for 4, 7 and 16 validators of equal stake. Each round runs a chain of heights
/// on one core (every validator's core, signer, application and the network in one thread) for about N/5
/// seconds; the median round's heights per second is reported with the messages sent and signatures verified
/// per height, which do not vary between rounds. Written to bench/results/consensus.json.
/// </summary>
internal static class ConsensusCommand
{
    private static readonly int[] Sizes = [4, 7, 16];
    private const int Rounds = 5;
    private const double DefaultSeconds = 5;

    public static int Run(string[] args)
    {
        if (!TryParseSeconds(args, out var seconds)) return Usage.Print(Console.Error, 2);
        return SuiteRun.Record("consensus", layout =>
        {
            _ = Schnorr.IsValidPublicKey(default);
            var figures = new List<KeyValuePair<string, double>>();
            Console.WriteLine($"Consensus in the simulator, zero network delay, one core: median of {Rounds} rounds of about {seconds / Rounds:0.##} s");
            Console.WriteLine($"  {"validators",-12}{"heights/s",12}{"messages/height",18}{"verifications/height",22}");
            foreach (var n in Sizes)
            {
                var m = Measure(n, TimeSpan.FromSeconds(seconds / Rounds));
                Console.WriteLine($"  {n,-12}{m.HeightsPerSec,12:N1}{m.MessagesPerHeight,18:N1}{m.VerificationsPerHeight,22:N1}");
                figures.Add(new($"heights_per_sec_{n}", Math.Round(m.HeightsPerSec, 1)));
                figures.Add(new($"messages_per_height_{n}", Math.Round(m.MessagesPerHeight, 1)));
                figures.Add(new($"signature_verifications_per_height_{n}", Math.Round(m.VerificationsPerHeight, 1)));
            }
            figures.Add(new("rounds", Rounds));
            figures.Add(new("seconds_per_round", Math.Round(seconds / Rounds, 2)));
            return figures;
        });
    }

    private sealed record Figures(double HeightsPerSec, double MessagesPerHeight, double VerificationsPerHeight);

    /// <summary>Sizes the chain from a short trial so a round lasts about <paramref name="roundLength"/>, then runs the rounds.</summary>
    private static Figures Measure(int validators, TimeSpan roundLength)
    {
        var trial = Time(validators, 5);
        var heights = (ulong)Math.Clamp(roundLength.TotalSeconds * 5 / trial.Seconds, 5, 100_000);
        var rounds = Enumerable.Range(0, Rounds).Select(_ => Time(validators, heights)).ToArray();
        var median = rounds.OrderBy(r => r.Seconds).ElementAt(Rounds / 2);
        return new Figures(heights / median.Seconds, (double)median.Result.Messages / heights, (double)median.Result.SignatureVerifications / heights);
    }

    private static (double Seconds, SimulationResult Result) Time(int validators, ulong heights)
    {
        var scenario = Scenarios.ZeroDelay(validators, heights);
        var watch = Stopwatch.StartNew();
        var result = Simulation.Simulation.Run(scenario);
        watch.Stop();
        if (!result.Ok) throw new BenchPrerequisiteException($"the zero-delay run of {validators} validators failed its checks: {result.Describe()}");
        return (watch.Elapsed.TotalSeconds, result);
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
}
