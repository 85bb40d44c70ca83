using Exchange.Core.State;

namespace Exchange.Bench.State;

/// <summary>
/// The medians of one state benchmark run. Throughput and block times come from passes through the
/// public Apply; the app hash's share and the other phases from passes through Apply's phases;
/// the cost per transaction kind from passes that time every transaction.
/// </summary>
internal sealed record StateFigures(
    int Rounds,
    int Blocks,
    int TransactionsPerBlock,
    int Accounts,
    int Instruments,
    double ApplyTxPerSec,
    double P50BlockMs,
    double P99BlockMs,
    double AppHashShare,
    double AppHashMsPerBlock,
    double CheckpointMs,
    double BeginBlockMs,
    double TransactionsMsPerBlock,
    double EndBlockMs,
    double SnapshotWholeMsPerBlock,
    double SnapshotCarriedMsPerBlock,
    double EventsPerBlock,
    double FillsPerBlock,
    double RejectedShare,
    int Liquidations,
    int LiquidationCandidates,
    int RestingOrdersAtStart,
    int RestingOrdersAtEnd,
    IReadOnlyList<RoleFigure> Roles,
    double OtherCores,
    double DisturbedAbove)
{
    /// <summary>Transactions per second through Apply on one core.</summary>
    public const double ApplyTarget = 200_000;

    /// <summary>The app hash may take at most this share of the time to apply a block of 1,000 transactions.</summary>
    public const double AppHashShareTarget = 0.10;

    public IEnumerable<KeyValuePair<string, double>> ToResults()
    {
        List<KeyValuePair<string, double>> results =
        [
            new("apply_tx_per_sec", Math.Round(ApplyTxPerSec)),
            new("app_hash_share_of_block_time", Math.Round(AppHashShare, 4)),
            new("app_hash_ms_per_block", Math.Round(AppHashMsPerBlock, 3)),
            new("state_root_checkpoint_ms", Math.Round(CheckpointMs, 3)),
            new("state_root_checkpoint_interval", StateHasher.CheckpointInterval),
            new("p50_block_ms", Math.Round(P50BlockMs, 3)),
            new("p99_block_ms", Math.Round(P99BlockMs, 3)),
            new("begin_block_ms", Math.Round(BeginBlockMs, 3)),
            new("transactions_ms_per_block", Math.Round(TransactionsMsPerBlock, 3)),
            new("end_block_ms", Math.Round(EndBlockMs, 3)),
            new("mempool_snapshot_whole_ms_per_block", Math.Round(SnapshotWholeMsPerBlock, 3)),
            new("mempool_snapshot_carried_ms_per_block", Math.Round(SnapshotCarriedMsPerBlock, 3)),
            new("events_per_block", Math.Round(EventsPerBlock, 1)),
            new("fills_per_block", Math.Round(FillsPerBlock, 1)),
            new("rejected_share", Math.Round(RejectedShare, 4)),
            new("liquidations", Liquidations),
            new("liquidation_candidates", LiquidationCandidates),
            new("resting_orders_start", RestingOrdersAtStart),
            new("resting_orders_end", RestingOrdersAtEnd),
            new("accounts", Accounts),
            new("instruments", Instruments),
            new("tx_per_block", TransactionsPerBlock),
            new("blocks", Blocks),
            new("rounds", Rounds),
        ];
        foreach (var role in Roles) results.Add(new($"us_per_tx_{role.Name}", Math.Round(role.MicrosecondsPerTx, 2)));
        results.Add(new("other_processes_cores", Math.Round(OtherCores, 2)));
        return results;
    }

    public void Print(TextWriter to)
    {
        to.WriteLine($"ExchangeState.Apply: {Blocks} blocks of {TransactionsPerBlock:N0} transactions, {Accounts:N0} accounts, {Instruments} series; median of {Rounds} rounds");
        to.WriteLine($"  {"transactions/s through Apply, one core",-44}{ApplyTxPerSec,12:N0}  target >= {ApplyTarget:N0}  {Verdict(ApplyTxPerSec >= ApplyTarget)}");
        to.WriteLine($"  {"app hash / block time",-44}{AppHashShare,12:P1}  target <= {AppHashShareTarget:P0}  {Verdict(AppHashShare <= AppHashShareTarget)}");
        to.WriteLine($"  {"block time p50 / p99 (ms)",-44}{$"{P50BlockMs:0.00} / {P99BlockMs:0.00}",12}");
        to.WriteLine($"  {$"state root checkpoint, every {StateHasher.CheckpointInterval:N0} blocks (ms)",-44}{CheckpointMs,12:0.00}  (its share is in the hash figures)");
        to.WriteLine($"  {"per block (ms): open / txs / close / hash",-44}{$"{BeginBlockMs:0.00} / {TransactionsMsPerBlock:0.00} / {EndBlockMs:0.00} / {AppHashMsPerBlock:0.00}",12}");
        to.WriteLine($"  {"mempool account copy, whole / carried (ms)",-44}{$"{SnapshotWholeMsPerBlock:0.000} / {SnapshotCarriedMsPerBlock:0.000}",12}");
        to.WriteLine($"  {"events / fills per block",-44}{$"{EventsPerBlock:0} / {FillsPerBlock:0}",12}");
        to.WriteLine($"  {"rejected transactions",-44}{RejectedShare,12:P2}");
        to.WriteLine($"  {"liquidations (candidates listed)",-44}{$"{Liquidations} ({LiquidationCandidates})",12}");
        to.WriteLine($"  {"resting orders, first / last measured block",-44}{$"{RestingOrdersAtStart:N0} / {RestingOrdersAtEnd:N0}",12}");
        to.WriteLine("  per transaction kind              share   µs/tx   of tx time");
        foreach (var role in Roles)
            to.WriteLine($"    {role.Name,-30}{role.MixShare,7:P1}{role.MicrosecondsPerTx,8:0.00}{role.TimeShare,12:P1}");
        if (OtherCores > DisturbedAbove)
            to.WriteLine($"warning: other processes kept {OtherCores:0.00} cores busy during these rounds; rerun on a quiet machine");
    }

    private static string Verdict(bool met) => met ? "met" : "MISSED";
}

/// <summary>One transaction kind of the mix: its share of the transactions, its cost, and its share of transaction time.</summary>
internal sealed record RoleFigure(string Name, double MixShare, double MicrosecondsPerTx, double TimeShare);
