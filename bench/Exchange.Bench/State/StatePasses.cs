using System.Diagnostics;
using Exchange.Core.Crypto;
using Exchange.Core.State;

namespace Exchange.Bench.State;

/// <summary>The mempool's account copy after each block, taken whole and carried forward: total ticks of each.</summary>
internal sealed record SnapshotPass(long WholeTicks, long CarriedTicks, int Blocks)
{
    public double WholeMsPerBlock => WholeTicks * 1_000.0 / Stopwatch.Frequency / Blocks;
    public double CarriedMsPerBlock => CarriedTicks * 1_000.0 / Stopwatch.Frequency / Blocks;
}

/// <summary>A pass through the measured blocks with the public <see cref="ExchangeState.Apply"/>: one timing per block.</summary>
internal sealed record ApplyPass(long[] BlockTicks, int Transactions, int Events, int Fills, int Rejected, int Liquidations)
{
    public double Seconds => BlockTicks.Sum() / (double)Stopwatch.Frequency;
}

/// <summary>
/// A pass through Apply's phases, called one by one exactly as Apply calls them, with a timestamp
/// between phases: the block's opening (oracle, marks), its transactions, its closing (liquidations,
/// expiries, solvency check) and the app hash. <see cref="HashTicks"/> includes this window's share
/// of the state-root checkpoint: when no checkpoint height falls inside the window, the checkpoint's
/// cost (timed at the end of the pass, over every account changed since genesis) is added in
/// proportion, blocks ÷ <see cref="StateHasher.CheckpointInterval"/>.
/// </summary>
internal sealed record PhasePass(long BeginTicks, long TransactionTicks, long EndTicks, long HashTicks, long CheckpointTicks, int Blocks)
{
    public long TotalTicks => BeginTicks + TransactionTicks + EndTicks + HashTicks;
    public double HashShare => (double)HashTicks / TotalTicks;
    public double MsPerBlock(long ticks) => ticks * 1_000.0 / Stopwatch.Frequency / Blocks;
}

/// <summary>A pass that times every transaction on its own, summed by what it is for.</summary>
internal sealed record RolePass(IReadOnlyDictionary<TxRole, long> Ticks, IReadOnlyDictionary<TxRole, int> Counts)
{
    public double MicrosecondsPerTx(TxRole role) => Counts[role] == 0 ? 0 : Ticks[role] * 1e6 / Stopwatch.Frequency / Counts[role];
}

/// <summary>
/// The timed passes. Each starts from genesis (the state mutates in place, so a pass cannot be
/// repeated on the same state), applies the warm-up blocks untimed, collects garbage, then times the
/// measured blocks on this one thread. Every block's app hash is compared, outside the timing, with
/// the one it was generated with, so a change in the state machine fails the run instead of skewing it.
/// </summary>
internal static class StatePasses
{
    public static ApplyPass Apply(StateWorkload workload)
    {
        var state = Prepare(workload);
        var ticks = new long[workload.Measured.Count];
        int transactions = 0, events = 0, fills = 0, rejected = 0, liquidations = 0;
        for (var b = 0; b < workload.Measured.Count; b++)
        {
            var expected = workload.Measured[b];
            var start = Stopwatch.GetTimestamp();
            var result = state.Apply(expected.Block);
            ticks[b] = Stopwatch.GetTimestamp() - start;
            Check(result.AppHash, expected);
            transactions += expected.Block.Transactions.Count;
            events += result.Events.Count;
            foreach (var e in result.Events)
            {
                switch (e)
                {
                    case Traded: fills++; break;
                    case TxRejected: rejected++; break;
                    case Liquidated: liquidations++; break;
                }
            }
        }
        return new ApplyPass(ticks, transactions, events, fills, rejected, liquidations);
    }

    /// <summary>
    /// A pass that, after each block, takes the mempool's copy of the committed accounts both ways: whole
    /// (<see cref="Exchange.Node.Mempool.AccountSnapshot.Capture"/>) and carried forward from the last block's
    /// (<see cref="Exchange.Node.Mempool.AccountSnapshot.After"/>), which is what the ledger pays on every height.
    /// </summary>
    public static SnapshotPass Snapshots(StateWorkload workload)
    {
        var state = Prepare(workload);
        var carried = Exchange.Node.Mempool.AccountSnapshot.Capture(state);
        long whole = 0, forward = 0;
        foreach (var expected in workload.Measured)
        {
            state.Apply(expected.Block);
            var t0 = Stopwatch.GetTimestamp();
            var copy = Exchange.Node.Mempool.AccountSnapshot.Capture(state);
            var t1 = Stopwatch.GetTimestamp();
            carried = carried.After(state);
            var t2 = Stopwatch.GetTimestamp();
            whole += t1 - t0;
            forward += t2 - t1;
            if (copy.AccountCount != carried.AccountCount) throw new InvalidOperationException("the carried snapshot lost track of the accounts");
        }
        return new SnapshotPass(whole, forward, workload.Measured.Count);
    }

    public static PhasePass Phases(StateWorkload workload)
    {
        var state = Prepare(workload);
        long begin = 0, txs = 0, end = 0, hash = 0;
        foreach (var expected in workload.Measured)
        {
            var block = expected.Block;
            var t0 = Stopwatch.GetTimestamp();
            var events = state.BeginBlock(block);
            var t1 = Stopwatch.GetTimestamp();
            for (var i = 0; i < block.Transactions.Count; i++) state.ApplyTransaction(block.Transactions[i], i, events);
            var t2 = Stopwatch.GetTimestamp();
            state.EndBlock(block.LiquidationCandidates, events);
            var t3 = Stopwatch.GetTimestamp();
            var result = state.CommitBlock(events);
            var t4 = Stopwatch.GetTimestamp();
            Check(result.AppHash, expected);
            begin += t1 - t0;
            txs += t2 - t1;
            end += t3 - t2;
            hash += t4 - t3;
        }

        // A checkpoint rehashes every account changed since the last one; after the warm-up and the
        // window that is nearly every account, so this is the cost a checkpoint block pays.
        var c0 = Stopwatch.GetTimestamp();
        state.ComputeStateRoot();
        var checkpoint = Stopwatch.GetTimestamp() - c0;
        var blocks = workload.Measured.Count;
        var windowHasCheckpoint = workload.Measured.Any(b => b.Block.Header.Height % StateHasher.CheckpointInterval == 0);
        if (!windowHasCheckpoint) hash += checkpoint * blocks / (long)StateHasher.CheckpointInterval;
        return new PhasePass(begin, txs, end, hash, checkpoint, blocks);
    }

    public static RolePass Roles(StateWorkload workload)
    {
        var state = Prepare(workload);
        var roles = Enum.GetValues<TxRole>();
        var ticks = new long[roles.Length];
        var counts = new int[roles.Length];
        foreach (var expected in workload.Measured)
        {
            var block = expected.Block;
            var events = state.BeginBlock(block);
            for (var i = 0; i < block.Transactions.Count; i++)
            {
                var start = Stopwatch.GetTimestamp();
                state.ApplyTransaction(block.Transactions[i], i, events);
                var role = (int)expected.Roles[i];
                ticks[role] += Stopwatch.GetTimestamp() - start;
                counts[role]++;
            }
            state.EndBlock(block.LiquidationCandidates, events);
            Check(state.CommitBlock(events).AppHash, expected);
        }
        return new RolePass(roles.ToDictionary(r => r, r => ticks[(int)r]), roles.ToDictionary(r => r, r => counts[(int)r]));
    }

    /// <summary>A state at the end of the warm-up blocks, with the garbage of getting there collected.</summary>
    private static ExchangeState Prepare(StateWorkload workload)
    {
        var state = ExchangeState.FromGenesis(workload.Chain.Genesis);
        foreach (var block in workload.WarmUp) Check(state.Apply(block.Block).AppHash, block);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return state;
    }

    private static void Check(in Hash32 appHash, BenchBlock expected)
    {
        if (appHash != expected.AppHash)
            throw new InvalidOperationException(
                $"block {expected.Block.Header.Height} led to app hash {appHash}, not the {expected.AppHash} it was generated with: the state machine is not deterministic over these blocks");
    }
}
