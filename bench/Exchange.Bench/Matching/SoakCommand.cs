using System.Diagnostics;
using System.Globalization;
using Exchange.Bench.Results;
using Exchange.Core.Tests.Markets.Book;

namespace Exchange.Bench.Matching;

/// <summary>
/// <c>matching-soak [--commands N] [--seed S]</c>: the explicit long run of the book comparison.
/// The test suite sends 50,000 generated commands through the reference and the fast book; this
/// sends 10 million by default through the same generator and comparison (without the invariant
/// check after every step, which would make it quadratic in practice), so a divergence that needs
/// a rare sequence of commands has a chance to show. Exits 1 on the first divergence.
/// </summary>
internal static class SoakCommand
{
    private const int DefaultCommands = 10_000_000;
    private const ulong DefaultSeed = 20261123;
    private const int ProgressEvery = 500_000;

    public static int Run(string[] args)
    {
        if (!TryParse(args, out var commands, out var seed)) return Usage.Print(Console.Error, 2);
        try
        {
            var layout = RepositoryLayout.Locate();
            Console.WriteLine($"matching soak: {commands:N0} generated commands, seed {seed}, through the reference and the fast book");
            var start = Stopwatch.GetTimestamp();
            var report = BookComparison.Run(seed, commands, validateEveryStep: false, progress: done =>
            {
                if (done % ProgressEvery == 0 && done < commands)
                    Console.Error.WriteLine($"  {done,12:N0} commands agree ({Stopwatch.GetElapsedTime(start).TotalSeconds:0} s)");
            });
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            Console.WriteLine($"seed {seed}: {report}");
            Console.WriteLine($"{seconds:0.0} s, {report.Commands / seconds:N0} commands/s through both books");

            var path = Path.Combine(layout.ResultsDirectory, "matching-soak.json");
            ResultsFile.Write(path,
            [
                new("commands", report.Commands),
                new("seed", seed),
                new("events", report.Events),
                new("fills", report.Fills),
                new("rejections", report.Rejections),
                new("peak_resting", report.PeakResting),
                new("diverged", report.Divergence is null ? 0 : 1),
                new("seconds", Math.Round(seconds, 1)),
            ]);
            Console.WriteLine($"wrote {layout.Relative(path)}");
            if (report.Divergence is null) return 0;
            Console.Error.WriteLine($"error: the books diverged; reproduce with matching-soak --commands {report.Commands + 1} --seed {seed}");
            return 1;
        }
        catch (BenchPrerequisiteException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static bool TryParse(string[] args, out int commands, out ulong seed)
    {
        commands = DefaultCommands;
        seed = DefaultSeed;
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length) return false;
            var ok = args[i] switch
            {
                "--commands" => int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out commands) && commands > 0,
                "--seed" => ulong.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out seed),
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }
}
