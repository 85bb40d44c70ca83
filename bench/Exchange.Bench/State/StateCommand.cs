using System.Diagnostics;
using System.Globalization;
using System.Text;
using Exchange.Bench.Results;
using Exchange.Core.Crypto;

namespace Exchange.Bench.State;

/// <summary>
/// <c>state [--blocks N] [--rounds N]</c>: transactions per second through <c>ExchangeState.Apply</c> on one
/// thread over a realistic mix, and the app hash's share of block time, written to bench/results/state.json.
/// The blocks are built and signed once; every pass starts again from genesis. A round is one pass
/// through Apply, one through its phases and one timing every transaction; a round during which other
/// processes took CPU is measured again, and the median of the clean rounds is reported.
/// </summary>
internal static class StateCommand
{
    private const int DefaultBlocks = 100;
    private const int DefaultRounds = 5;

    /// <summary>A round during which other processes kept more than this many cores busy is measured again.</summary>
    private const double DisturbedAbove = 0.1;

    public static int Run(string[] args)
    {
        if (!TryParse(args, out var blocks, out var rounds)) return Usage.Print(Console.Error, 2);
        return SuiteRun.Record("state", layout =>
        {
            var figures = Measure(blocks, rounds);
            figures.Print(Console.Out);
            return figures.ToResults();
        });
    }

    private static bool TryParse(string[] args, out int blocks, out int rounds)
    {
        blocks = DefaultBlocks;
        rounds = DefaultRounds;
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0) return false;
            switch (args[i])
            {
                case "--blocks": blocks = n; break;
                case "--rounds": rounds = n; break;
                default: return false;
            }
        }
        return true;
    }

    private static StateFigures Measure(int blocks, int rounds)
    {
        var setup = Stopwatch.StartNew();
        var chain = BenchChain.Create();
        var workload = WorkloadGenerator.Generate(chain, blocks);
        Console.Error.WriteLine($"built and signed {WorkloadGenerator.WarmUpBlocks} warm-up and {blocks} measured blocks in {setup.Elapsed.TotalSeconds:0.0} s; " +
            $"they end at app hash {workload.Measured[^1].AppHash} (a change of the state machine's behaviour changes it)");

        // Warm-up: every pass once, so tiered compilation settles; the Apply pass also proves that the
        // public Apply reaches the hashes the generator reached through the phases.
        StatePasses.Apply(workload);
        StatePasses.Phases(workload);
        StatePasses.Roles(workload);
        StatePasses.Snapshots(workload);

        var measured = new List<Round>();
        while (measured.Count(r => r.OtherCores <= DisturbedAbove) < rounds && measured.Count < 3 * rounds)
        {
            var before = MachineLoad.Read();
            var round = new Round(StatePasses.Apply(workload), StatePasses.Phases(workload), StatePasses.Roles(workload), StatePasses.Snapshots(workload),
                before is { } b && MachineLoad.Read() is { } after ? after.OtherCoresSince(b) : 0);
            measured.Add(round);
            var note = round.OtherCores > DisturbedAbove ? $": other processes used {round.OtherCores:0.00} cores, measuring again" : "";
            Console.Error.WriteLine($"round {measured.Count}: {round.Apply.Transactions / round.Apply.Seconds:N0} tx/s{note}");
        }

        var used = measured.OrderBy(r => r.OtherCores).Take(rounds).ToArray();
        var first = used[0].Apply;
        var blockMs = used.SelectMany(r => r.Apply.BlockTicks).Select(t => t * 1_000.0 / Stopwatch.Frequency).Order().ToArray();
        var census = workload.Census;
        var totalTxs = workload.MeasuredTransactions;
        var roleTicks = used.Select(r => r.Roles.Ticks.Values.Sum()).ToArray();
        var roles = census.Roles.Where(r => r.Value > 0).Select(r => new RoleFigure(
            SnakeCase(r.Key.ToString()),
            (double)r.Value / totalTxs,
            Median(used.Select(u => u.Roles.MicrosecondsPerTx(r.Key))),
            Median(used.Select(u => (double)u.Roles.Ticks[r.Key] / u.Roles.Ticks.Values.Sum())))).ToArray();

        return new StateFigures(
            used.Length, blocks, WorkloadGenerator.TransactionsPerBlock, BenchChain.Accounts, chain.Genesis.Listings.Sum(l => l.Instruments(chain.Genesis.GenesisDay).Count),
            ApplyTxPerSec: Median(used.Select(r => r.Apply.Transactions / r.Apply.Seconds)),
            P50BlockMs: Percentile(blockMs, 0.50),
            P99BlockMs: Percentile(blockMs, 0.99),
            AppHashShare: Median(used.Select(r => r.Phases.HashShare)),
            AppHashMsPerBlock: Median(used.Select(r => r.Phases.MsPerBlock(r.Phases.HashTicks))),
            CheckpointMs: Median(used.Select(r => r.Phases.CheckpointTicks * 1_000.0 / Stopwatch.Frequency)),
            BeginBlockMs: Median(used.Select(r => r.Phases.MsPerBlock(r.Phases.BeginTicks))),
            TransactionsMsPerBlock: Median(used.Select(r => r.Phases.MsPerBlock(r.Phases.TransactionTicks))),
            EndBlockMs: Median(used.Select(r => r.Phases.MsPerBlock(r.Phases.EndTicks))),
            SnapshotWholeMsPerBlock: Median(used.Select(r => r.Snapshots.WholeMsPerBlock)),
            SnapshotCarriedMsPerBlock: Median(used.Select(r => r.Snapshots.CarriedMsPerBlock)),
            EventsPerBlock: (double)first.Events / blocks,
            FillsPerBlock: (double)first.Fills / blocks,
            RejectedShare: (double)first.Rejected / first.Transactions,
            first.Liquidations,
            census.LiquidationCandidates,
            census.RestingOrdersAtStart,
            census.RestingOrdersAtEnd,
            roles,
            OtherCores: used.Max(r => r.OtherCores),
            DisturbedAbove);
    }

    /// <summary>One pass of each kind, and how busy the rest of the machine was meanwhile.</summary>
    private sealed record Round(ApplyPass Apply, PhasePass Phases, RolePass Roles, SnapshotPass Snapshots, double OtherCores);

    private static double Median(IEnumerable<double> values) => Percentile([.. values.Order()], 0.5);

    /// <summary>Nearest-rank percentile of sorted values (the median of an even count is the mean of the middle two).</summary>
    private static double Percentile(double[] sorted, double p)
    {
        if (p == 0.5 && sorted.Length % 2 == 0) return (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static string SnakeCase(string name)
    {
        var s = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && s.Length > 0) s.Append('_');
            s.Append(char.ToLowerInvariant(c));
        }
        return s.ToString();
    }
}
