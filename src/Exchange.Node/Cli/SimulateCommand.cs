using System.CommandLine;
using System.Diagnostics;
using Exchange.Core.Crypto;
using Exchange.Simulation;
using Spectre.Console;
using Simulator = Exchange.Simulation.Simulation;

namespace Exchange.Node.Cli;

/// <summary>
/// <c>exchange simulate</c>: many seeded runs of the deterministic consensus simulator. Run k has seed
/// <c>S + k</c>, and its fault mix follows from its seed, so any run replays alone with <c>--seed</c> and
/// <c>--runs 1</c> and the same mix options. Runs go on every core; the summary does not depend on their order.
/// Exit code 1 when any run breaks a property, or with <c>--negative-control</c> when some run's violation was
/// not found.
/// </summary>
internal static class SimulateCommand
{
    private static readonly TimeSpan LineEvery = TimeSpan.FromSeconds(10);

    public static Command Create()
    {
        var runs = new Option<long>("--runs") { Description = "Number of seeded runs", DefaultValueFactory = _ => 1_000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the first run; run k has seed S + k", DefaultValueFactory = _ => 1 };
        var validators = new Option<int>("--validators") { Description = "Validators per run (at least 4), with unequal stakes", DefaultValueFactory = _ => 4 };
        var heights = new Option<ulong>("--heights") { Description = "Heights every honest validator must commit in each run", DefaultValueFactory = _ => 4 };
        var mixes = new Option<string[]>("--mix")
        {
            Description = $"Fault mixes to draw from (default all): {string.Join(", ", Scenarios.AllMixes)}",
            AllowMultipleArgumentsPerToken = true,
        };
        var byzantine = new Option<string[]>("--byzantine")
        {
            Description = "Only the mixes with these Byzantine behaviours: equivocate, double-vote, silent, invalid-blocks, garbage (none: only mixes without Byzantine validators)",
            AllowMultipleArgumentsPerToken = true,
        };
        var negative = new Option<bool>("--negative-control")
        {
            Description = "Run the negative control (one third of the stake on one key run by two machines); succeeds when every run's violation is found",
        };
        var command = new Command("simulate", "Run the deterministic consensus simulator over seeded fault mixes and check every run")
        {
            runs, seed, validators, heights, mixes, byzantine, negative,
        };
        command.SetAction(parse =>
        {
            var options = new Options(parse.GetValue(runs), parse.GetValue(seed), parse.GetValue(validators), parse.GetValue(heights), parse.GetValue(negative));
            if (options.Runs < 1 || options.Validators < 4 || options.Validators > 100 || options.Heights < 1)
            {
                Console.Error.WriteLine("error: need --runs ≥ 1, --validators from 4 to 100, --heights ≥ 1");
                return 2;
            }
            if (!TrySelectMixes(parse.GetValue(mixes) ?? [], parse.GetValue(byzantine) ?? [], out var selected, out var error))
            {
                Console.Error.WriteLine($"error: {error}");
                return 2;
            }
            try
            {
                _ = Schnorr.IsValidPublicKey(default);
            }
            catch (Secp256k1UnavailableException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
            return Run(options, selected);
        });
        return command;
    }

    private sealed record Options(long Runs, ulong Seed, int Validators, ulong Heights, bool NegativeControl);

    private static bool TrySelectMixes(string[] mixNames, string[] behaviours, out FaultMix[] selected, out string error)
    {
        error = "";
        var mixes = new SortedSet<FaultMix>();
        foreach (var name in mixNames.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!Enum.TryParse<FaultMix>(name, ignoreCase: true, out var m) || !Enum.IsDefined(m))
            {
                selected = [];
                error = $"unknown mix '{name}'; choose from {string.Join(", ", Scenarios.AllMixes)}";
                return false;
            }
            mixes.Add(m);
        }
        foreach (var name in behaviours.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries)))
        {
            FaultMix[]? add = name.ToLowerInvariant() switch
            {
                "equivocate" => [FaultMix.Equivocation],
                "double-vote" => [FaultMix.DoubleVotes],
                "silent" => [FaultMix.Silence],
                "invalid-blocks" => [FaultMix.InvalidBlocks],
                "garbage" => [FaultMix.Garbage],
                "none" => [FaultMix.Clean, FaultMix.LossyNetwork, FaultMix.Partitions, FaultMix.Crashes],
                _ => null,
            };
            if (add is null)
            {
                selected = [];
                error = $"unknown Byzantine behaviour '{name}'; choose from equivocate, double-vote, silent, invalid-blocks, garbage, none";
                return false;
            }
            mixes.UnionWith(add);
        }
        selected = mixes.Count == 0 ? Scenarios.AllMixes : [.. mixes];
        return true;
    }

    /// <summary>The scenario of the run with this seed: the mix is chosen by the seed among the selected mixes.</summary>
    private static Scenario ScenarioFor(Options o, FaultMix[] mixes, ulong seed) =>
        o.NegativeControl ? Scenarios.NegativeControl(seed) : Scenarios.Create(mixes[(int)(seed % (ulong)mixes.Length)], seed, o.Validators, o.Heights);

    private static int Run(Options o, FaultMix[] mixes)
    {
        AnsiConsole.MarkupLine(o.NegativeControl
            ? $"[bold]Negative control[/]: {o.Runs:N0} runs with one third of the stake on a key run by two machines; the checker must flag each."
            : $"[bold]Simulating[/] {o.Runs:N0} runs from seed {o.Seed}: {o.Validators} validators, {o.Heights} heights, mixes {string.Join(", ", mixes)}.");
        var summary = new SimulationSummary();
        var gate = new object();
        long done = 0;
        var watch = Stopwatch.StartNew();
        var work = Task.Run(() => Parallel.For(0L, o.Runs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
        {
            var result = Simulator.Run(ScenarioFor(o, mixes, o.Seed + (ulong)k));
            lock (gate) summary.Add(result);
            Interlocked.Increment(ref done);
        }));
        ShowProgress(work, () => Interlocked.Read(ref done), o.Runs, watch);
        work.GetAwaiter().GetResult();
        watch.Stop();
        PrintSummary(summary, watch.Elapsed);
        return Verdict(o, mixes, summary);
    }

    /// <summary>A progress bar on a terminal; a line every ten seconds when the output is a file or a pipe.</summary>
    private static void ShowProgress(Task work, Func<long> done, long total, Stopwatch watch)
    {
        if (!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
        {
            AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var bar = ctx.AddTask("runs", maxValue: total);
                    while (!work.Wait(200)) bar.Value = done();
                    bar.Value = done();
                });
            return;
        }
        while (!work.Wait(LineEvery))
        {
            var d = done();
            Console.WriteLine($"{d:N0} of {total:N0} runs, {d / watch.Elapsed.TotalSeconds:N0} runs/s, {watch.Elapsed:hh\\:mm\\:ss} elapsed");
        }
    }

    private static void PrintSummary(SimulationSummary s, TimeSpan elapsed)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Figure", "Value");
        table.AddRow("runs", $"{s.Runs:N0} in {elapsed.TotalSeconds:N1} s ({s.Runs / Math.Max(elapsed.TotalSeconds, 1e-9):N0} runs/s)");
        table.AddRow("runs by mix", Markup.Escape(string.Join(", ", s.RunsByMix.Select(m => $"{m.Key} {m.Value:N0}"))));
        foreach (var kind in Enum.GetValues<FaultKind>()) table.AddRow($"faults: {kind}", $"{s.Faults.GetValueOrDefault(kind):N0}");
        table.AddRow("heights committed (by every honest node)", $"{s.HeightsCommitted:N0}");
        table.AddRow("messages sent", $"{s.Messages:N0}");
        table.AddRow("signature verifications", $"{s.SignatureVerifications:N0}");
        table.AddRow("equivocations seen by honest nodes", $"{s.EquivocationsSeen:N0}");
        table.AddRow("evidence committed and slashed on every honest node", $"{s.EvidenceSlashed:N0} of {s.EvidenceRequired:N0} required");
        table.AddRow("offences slashed (longest honest chain)", $"{s.OffencesSlashed:N0}");
        table.AddRow("transactions committed (longest honest chain)", $"{s.Transactions:N0}");
        table.AddRow("vote extensions committed (longest honest chain)", $"{s.Extensions:N0}");
        table.AddRow("undecodable deliveries dropped", $"{s.Undecodable:N0}");
        table.AddRow("slowest recovery after heal", $"{s.SlowestRecoveryMs:N0} ms (seed {s.SlowestRecoverySeed})");
        foreach (var p in Enum.GetValues<Property>()) table.AddRow($"violations: {p}", $"{s.Violations.GetValueOrDefault(p):N0}");
        table.AddRow("runs with a violation", s.RunsWithViolations == 0 ? "[green]0[/]" : $"[red]{s.RunsWithViolations:N0}[/]");
        AnsiConsole.Write(table);
    }

    private static int Verdict(Options o, FaultMix[] mixes, SimulationSummary s)
    {
        var mixOption = mixes.Length == Scenarios.AllMixes.Length ? "" : " --mix " + string.Join(",", mixes);
        if (o.NegativeControl)
        {
            var found = s.Violations.GetValueOrDefault(Property.Agreement);
            foreach (var f in s.Failures.Take(3)) Console.WriteLine(f.Describe());
            if (found == s.Runs)
            {
                AnsiConsole.MarkupLine($"[green]The checker reported the agreement violation in all {s.Runs:N0} runs: it can fail.[/]");
                return 0;
            }
            AnsiConsole.MarkupLine($"[red]The checker missed the violation in {s.Runs - found:N0} of {s.Runs:N0} runs.[/]");
            return 1;
        }
        if (s.RunsWithViolations == 0) return 0;
        foreach (var f in s.Failures.Take(20))
        {
            Console.WriteLine(f.Describe());
            Console.WriteLine($"  replay: exchange simulate --seed {f.Scenario.Seed} --runs 1 --validators {o.Validators} --heights {o.Heights}{mixOption}");
        }
        return 1;
    }
}
