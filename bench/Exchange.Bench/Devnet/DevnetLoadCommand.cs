using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Exchange.Bench.Crypto;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;
using Exchange.Node.Devnet;
using Exchange.Node.Hosting;
using Exchange.Node.Keys;
using Exchange.Node.Ledger;
using Exchange.Node.Mempool;

namespace Exchange.Bench.Devnet;

/// <summary>
/// <c>devnet [--seconds N] [--validators N] [--rate N]</c>: a devnet of real validator processes on loopback, loaded with signed
/// orders over Akka.Remote. A first phase submits as fast as the mempools accept (a window of outstanding submissions
/// spread over every validator) and gives the peak committed rate; a second phase submits at half that rate (or at
/// <c>--rate</c> orders per second) and gives submit-to-commit latency. A transaction's commit time is when the first validator's process printed the
/// block that holds it, by that process's clock (the line's <c>at</c> field; submission is timed by the same machine's clock), and blocks
/// are read back from its ledger after the run. When this client read the line is kept too, as the latency a client watching the
/// node's output would see. Written to bench/results/devnet.json.
/// </summary>
internal static class DevnetLoadCommand
{
    /// <summary>
    /// Orders signed ahead for each second of the peak phase: above what the bound allows on this machine (12,942 a
    /// second), so the phase runs out of time, not of orders. Signing them takes the client a few seconds before it.
    /// </summary>
    private const int PeakOrdersPerSecondSigned = 10_000;
    /// <summary>How often orders refused for back-pressure go again: about a block at half load, a few at peak.</summary>
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(200);

    public static int Run(string[] args)
    {
        var seconds = 20;
        var validators = 4;
        int? rate = null;
        var pinning = CorePinning.Auto;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--pin-cores")
            {
                if (args[i + 1] is not ("auto" or "off")) return Usage.Print(Console.Error, 2);
                pinning = args[i + 1] == "off" ? CorePinning.Off : CorePinning.Auto;
                continue;
            }
            if (!int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0) return Usage.Print(Console.Error, 2);
            switch (args[i])
            {
                case "--seconds": seconds = n; break;
                case "--validators": validators = n; break;
                case "--rate": rate = n; break;
                default: return Usage.Print(Console.Error, 2);
            }
        }
        return SuiteRun.Record("devnet", layout => Measure(layout, seconds, validators, rate, pinning).GetAwaiter().GetResult());
    }

    /// <param name="SubmittedAt">Stopwatch time it was sent, or when paced the time it fell due (the client may wake late to send it).</param>
    /// <param name="SubmittedUnixMicros">The same moment by the wall clock, to compare with the node's print time.</param>
    /// <param name="AcceptedAt">Stopwatch time the mempool's verdict arrived.</param>
    /// <param name="Mempool">The validator whose mempool took it (an index into the runner's nodes).</param>
    private sealed record Sent(Hash32 Hash, long SubmittedAt, long SubmittedUnixMicros, long AcceptedAt, int Mempool);

    private static async Task<IEnumerable<KeyValuePair<string, double>>> Measure(RepositoryLayout repo, int seconds, int validatorCount, int? fixedRate,
        CorePinning pinning)
    {
        var root = Path.Combine(Path.GetTempPath(), "exchange-devnet-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var layout = DevnetLayout.OpenOrCreate(root, validatorCount, 0, DateTimeOffset.UtcNow);
        var runner = new DevnetRunner(layout, validatorCount, 0, DevnetRunner.FreeBasePort(validatorCount, 0), pinning);
        var config = Exchange.Node.Cli.ExchangeClient.ClientConfig("exchange");
        var client = ActorSystem.Create("exchange", config);
        // Interrupted (Ctrl-C, or a SIGTERM from a script), the bench takes its nodes with it: left running, they would
        // spin on both cores under the next measurement. The signal then ends the process as it would have.
        void KillNodes(PosixSignalContext _) => runner.Dispose();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, KillNodes);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, KillNodes);
        try
        {
            // What each core verifies with nothing else running, before the devnet and again after it (CoreSpeeds).
            var coresBefore = CoreSpeeds.Measure(TimeSpan.FromSeconds(1));
            runner.StartAll();
            await WaitFor(() => runner.Nodes.All(n => n.View().Height >= 3), TimeSpan.FromSeconds(90), "every validator at height 3");
            // EXCHANGE_BENCH_GC_WATCH=0 leaves the nodes' diagnostics ports alone (the GC figures then read zero).
            using var gc = NodeGcWatch.Start(Environment.GetEnvironmentVariable("EXCHANGE_BENCH_GC_WATCH") == "0"
                ? [] : runner.Nodes.Select(n => n.ProcessId).OfType<int>());
            var genesis = layout.LoadGenesis();
            // Orders the state accepts: on the tick, within the price band, a lot in size; IOC a few ticks away from the mark,
            // so they reach the book and leave nothing resting (no open-order cap, no margin build-up).
            var markets = Exchange.Core.State.ExchangeState.FromGenesis(genesis).Instruments
                .Where(i => i.Mark > 0)
                .Select(i => (i.Name, Spec: i.Instrument.Spec, Mark: i.Mark))
                .ToArray();
            var traders = Enumerable.Range(0, DevnetLayout.Traders).Select(i => KeyFile.Read(layout.TraderKey(i))).ToArray();
            // Node i runs validator i: a block's proposer names the mempool its own orders came through.
            var proposers = Enumerable.Range(0, validatorCount).ToDictionary(i => KeyFile.Read(layout.ValidatorKey(i)).PublicKey);
            var nonces = new ulong[traders.Length];
            // Resolved once, as a gateway holds its mempools: a selection is looked up again, on both sides, for every message.
            var mempools = await Task.WhenAll(runner.Nodes.Select(n =>
                client.ActorSelection($"akka.tcp://exchange@127.0.0.1:{n.Port}/user/{NodePaths.Mempool}").ResolveOne(TimeSpan.FromSeconds(10))));
            var aux = new byte[32];
            var next = 0L;

            // Signing is the client's work, not the cluster's: each phase's transactions are signed before it starts.
            Transaction[] Sign(int count)
            {
                var txs = new Transaction[count];
                for (var i = 0; i < count; i++)
                {
                    var k = (int)(next++ % traders.Length);
                    var (name, spec, mark) = markets[(int)(next / traders.Length % markets.Length)];
                    var buy = next % 2 == 0;
                    var tick = spec.TickSize.Raw;
                    var price = Math.Max(tick, (mark / tick + (buy ? -2 : 2)) * tick);
                    var order = new PlaceOrder(name, buy ? Side.Buy : Side.Sell, OrderType.Limit, TimeInForce.ImmediateOrCancel, OrderFlags.None,
                        new Price(price), spec.MinSize, 0, SelfTradePrevention.CancelIncoming);
                    txs[i] = Transaction.Create(DevnetLayout.ChainId, traders[k].PublicKey, ++nonces[k], order).SignWith(traders[k], aux);
                }
                return txs;
            }

            // Transactions go in batches (SubmitTxs), as a gateway sends them: each sender's to one mempool, so they arrive
            // there in nonce order. Paced, a batch holds what fell due since the last one; at peak, up to maxBatch.
            // With submitFor, no batch starts after that time; the orders left are not sent, and each trader's next nonce
            // goes back to follow its last one sent, so the next phase's orders carry on from there.
            async Task<List<Sent>> Submit(Transaction[] txs, double? ratePerSecond, int maxBatch, int window, TimeSpan? submitFor = null)
            {
                var sent = new ConcurrentBag<Sent>();
                var refused = new ConcurrentQueue<int>();
                // Senders with an order waiting to go again: their later orders could only skip ahead of it, so they wait too.
                var held = new ConcurrentDictionary<int, byte>();
                using var gate = new SemaphoreSlim(window);
                var start = Stopwatch.GetTimestamp();
                var tasks = new List<Task>();
                var sender = txs.Select(tx => Array.FindIndex(traders, t => t.PublicKey == tx.Sender)).ToArray();
                var target = sender.Select(k => k % mempools.Length).ToArray();
                var firstSentAt = new long[txs.Length];
                var firstSentUnix = new long[txs.Length];
                long DueAt(int k, double rate) => start + (long)(k / rate * Stopwatch.Frequency);

                // One submission to one mempool; its accepted orders are timed from when each was first sent.
                async Task Send(int mempool, int[] members)
                {
                    await gate.WaitAsync();
                    var sentAt = Stopwatch.GetTimestamp();
                    var sentUnix = BlockLine.UnixMicros(DateTimeOffset.UtcNow);
                    foreach (var k in members)
                    {
                        if (firstSentAt[k] != 0) continue;
                        // Paced, a transaction's clock starts when it fell due: a late wake-up of this client is latency too.
                        firstSentAt[k] = ratePerSecond is { } r ? Math.Min(sentAt, DueAt(k, r)) : sentAt;
                        firstSentUnix[k] = sentUnix - (sentAt - firstSentAt[k]) * 1_000_000 / Stopwatch.Frequency;
                    }
                    var batch = members.Select(k => txs[k].Encode()).ToArray();
                    tasks.Add(mempools[mempool].Ask<TxsSubmitted>(new SubmitTxs(batch), TimeSpan.FromSeconds(30)).ContinueWith(t =>
                    {
                        gate.Release();
                        if (!t.IsCompletedSuccessfully)
                        {
                            Console.Error.WriteLine($"batch of {batch.Length} not answered: {t.Exception?.GetBaseException().Message}");
                            return;
                        }
                        var answered = Stopwatch.GetTimestamp();
                        for (var v = 0; v < t.Result.Verdicts.Count; v++)
                        {
                            var verdict = t.Result.Verdicts[v];
                            if (verdict.IsAccepted) sent.Add(new Sent(verdict.Hash, firstSentAt[members[v]], firstSentUnix[members[v]], answered, mempool));
                            // A full pool, queue or sender's share is back-pressure, not a verdict on the order: it is sent
                            // again once this pass is over, as a client retries after the next block. So is a nonce gap: an
                            // order refused for a full queue leaves one, and its sender's next orders, which find the queue
                            // free again, skip ahead of it. Until session 17 those were final, and the sender's orders
                            // stopped for the rest of the run. A gap with nothing behind it would be refused 50 times and
                            // stop the run, as it should: every order here is signed in its sender's nonce order. Anything
                            // else is final.
                            else if (verdict.Error is MempoolError.SenderLimit or MempoolError.PoolFull or MempoolError.QueueFull or MempoolError.NonceGap)
                            {
                                held.TryAdd(sender[members[v]], 0);
                                refused.Enqueue(members[v]);
                            }
                            else Console.Error.WriteLine($"not accepted: {verdict}");
                        }
                    }));
                }

                // Refused orders go again in passes, each mempool's in the order signed (so each sender's in nonce order),
                // one pass at a time: the next starts once the last one's verdicts are in. While the phase submits, a pass
                // takes one batch per mempool, the oldest, and leaves the rest for the next: a held sender's orders behind
                // a refusal would only be refused again for the gap if that one is.
                var retriedDuring = 0;
                async Task<Task> SendAgain(bool all)
                {
                    var again = new List<int>();
                    while (refused.TryDequeue(out var k)) again.Add(k);
                    var before = tasks.Count;
                    foreach (var group in again.Order().GroupBy(k => target[k]))
                    {
                        foreach (var chunk in (all ? group : group.Take(maxBatch)).Chunk(maxBatch))
                        {
                            if (!all) retriedDuring += chunk.Length;
                            await Send(group.Key, chunk);
                        }
                        if (!all) foreach (var k in group.Skip(maxBatch)) refused.Enqueue(k);
                    }
                    return Task.WhenAll(tasks.Skip(before).ToArray());
                }

                // While the phase submits, a pass goes every RetryInterval. Until session 18 they waited for the phase's
                // submissions to end, so one sender refused early in a peak phase had all its later orders held back to
                // the end, and the phase then drained them alone (a final run of session 18: 16,896 orders, in four
                // passes after the 20 seconds).
                var retried = Task.CompletedTask;
                var lastRetry = start;
                // True when a pass went: none is in flight, the interval is over, and something waits.
                async Task<bool> RetryIfDue()
                {
                    if (refused.IsEmpty || !retried.IsCompleted || Stopwatch.GetElapsedTime(lastRetry) < RetryInterval) return false;
                    lastRetry = Stopwatch.GetTimestamp();
                    retried = await SendAgain(all: false);
                    return true;
                }
                var i = 0;
                while (i < txs.Length)
                {
                    if (submitFor is { } limit && Stopwatch.GetElapsedTime(start) >= limit)
                    {
                        for (var k = i; k < txs.Length; k++) nonces[sender[k]]--;
                        break;
                    }
                    var end = Math.Min(txs.Length, i + maxBatch);
                    if (ratePerSecond is { } rate)
                    {
                        var due = DueAt(i, rate);
                        var early = due - Stopwatch.GetTimestamp();
                        if (early > 0) await Task.Delay(TimeSpan.FromSeconds(early / (double)Stopwatch.Frequency));
                        var dueNow = (int)((Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency * rate) + 1;
                        end = Math.Clamp(dueNow, i + 1, end);
                    }
                    await RetryIfDue();
                    foreach (var group in Enumerable.Range(i, end - i).GroupBy(k => target[k]))
                    {
                        var members = new List<int>();
                        foreach (var k in group)
                            if (held.ContainsKey(sender[k])) refused.Enqueue(k);
                            else members.Add(k);
                        if (members.Count > 0) await Send(group.Key, [.. members]);
                    }
                    i = end;
                }
                if (submitFor is { } phase)
                {
                    // Held senders' orders take no turn in the window, so the loop may pass over all of them early: their
                    // passes go on for the phase's time. Then what no pass has sent is unsent and dropped like the rest (a
                    // held sender's are the last of its nonces here), so the phase does not run on to drain orders the
                    // cluster was never offered during it; what went out once and was refused goes again below.
                    while (!refused.IsEmpty && Stopwatch.GetElapsedTime(start) < phase)
                        if (!await RetryIfDue()) await Task.Delay(10);
                    var sentOnce = new List<int>();
                    while (refused.TryDequeue(out var k))
                        if (firstSentAt[k] != 0) sentOnce.Add(k);
                        else nonces[sender[k]]--;
                    foreach (var k in sentOnce) refused.Enqueue(k);
                }
                await Task.WhenAll(tasks);
                // Refused orders leave gaps in their senders' nonces, and everything after a gap waits (held above): what
                // is left goes again until the pools take it. Their clocks run from when they were first sent, or when
                // paced from when they fell due: a client's order refused for back-pressure is latency too.
                for (var attempt = 1; !refused.IsEmpty; attempt++)
                {
                    if (attempt > 50) throw new InvalidOperationException($"{refused.Count:N0} orders were still refused for back-pressure after 50 attempts");
                    Console.Error.WriteLine($"{refused.Count:N0} orders refused for back-pressure (a full pool, queue or sender's share, or a nonce gap behind one): sending them again");
                    await Task.Delay(RetryInterval);
                    await await SendAgain(all: true);
                }
                if (retriedDuring > 0) Console.Error.WriteLine($"{retriedDuring:N0} orders refused for back-pressure went again while the phase ran");
                return [.. sent];
            }

            // Warm-up, not measured: a node fresh from start-up spends much of its CPU compiling (tiered JIT), and what is
            // measured is the cluster as it runs, not its first seconds. Paced at twice the load a cold devnet takes easily.
            var warmTxs = Sign(Math.Max(1_000, seconds * 800));
            Console.Error.WriteLine($"warm-up: {warmTxs.Length:N0} signed orders at 2,000/s (not measured)");
            var warmStart = Stopwatch.GetTimestamp();
            await Committed(runner, client, proposers, await Submit(warmTxs, 2_000, maxBatch: 256, window: 64), warmStart, NodesCpu(runner));

            // Peak: as many as the cluster takes for the phase. A batch of 256 goes out as one submission per mempool (about
            // 64 orders each with four validators), and 32 of them may wait for their verdicts at once: about 2,000 orders
            // in verification and more in the pools, so each proposer reaps a fuller block. With 8 (until session 9) blocks
            // were about half as large and each order carried twice the share of a height's cost: in seven interleaved pairs
            // 32 committed 11-26% more in five and less in two (docs/benchmarks.md, devnet).
            // The phase submits for the seconds asked, from more orders than the cluster can take in them. Until session 10
            // it was 3,000 orders a second asked, which the cluster took in under half the time by then, so the pipeline's
            // filling and draining (its last second runs a third idle) weighed twice as much in the rate.
            var peakTxs = Sign(Math.Max(2_000, seconds * PeakOrdersPerSecondSigned));
            Console.Error.WriteLine($"peak phase: submitting for {seconds} s as fast as the mempools accept, from {peakTxs.Length:N0} signed orders");
            var peakStart = Stopwatch.GetTimestamp();
            var peakFrom = DateTime.Now;
            var peakCpu = NodesCpu(runner);
            var peakSent = await Submit(peakTxs, null, maxBatch: 256, window: 32, submitFor: TimeSpan.FromSeconds(seconds));
            Console.Error.WriteLine($"peak phase: {peakSent.Count:N0} orders accepted");
            var peak = await Committed(runner, client, proposers, peakSent, peakStart, peakCpu);
            var peakTo = DateTime.Now;
            Console.Error.WriteLine($"peak: {peak.TxPerSec:N0} committed tx/s, p50 {peak.P50Ms:N1} ms, p99 {peak.P99Ms:N1} ms, block interval {peak.BlockIntervalMs:N1} ms, "
                + $"first block {peak.FirstCommitMs:N0} ms after the first submission, {peak.BetweenBlocksTxPerSec:N0} tx/s from it to the last");

            // Half the peak rate, paced: latency when the cluster is not saturated.
            var halfRate = fixedRate ?? Math.Max(10, peak.TxPerSec / 2);
            var halfTxs = Sign((int)(halfRate * seconds));
            Console.Error.WriteLine($"half-load phase: {halfTxs.Length:N0} orders at {halfRate:N0}/s");
            var halfStart = Stopwatch.GetTimestamp();
            var halfFrom = DateTime.Now;
            var halfCpu = NodesCpu(runner);
            var halfSent = await Submit(halfTxs, halfRate, maxBatch: 256, window: 64);
            var half = await Committed(runner, client, proposers, halfSent, halfStart, halfCpu);
            var halfTo = DateTime.Now;
            Console.Error.WriteLine($"half load: {half.TxPerSec:N0} committed tx/s, p50 {half.P50Ms:N1} ms, p99 {half.P99Ms:N1} ms, block interval {half.BlockIntervalMs:N1} ms, admission p50 {half.AdmissionP50Ms:N1} ms, seen by this client p50 {half.SeenP50Ms:N1} ms");
            Console.Error.WriteLine($"half load: p50 {half.Split.ToHeightP50Ms:N1} ms to the start of the holding block's height, which took {half.Split.OwnHeightP50Ms:N1} ms; "
                + $"p50 {half.Split.AtProposerP50Ms:N1} ms sent to the block's proposer ({half.Split.AtProposerShare:P0}), {half.Split.ElsewhereP50Ms:N1} ms sent elsewhere");

            // The event streams run a little behind; what happened before halfTo has arrived a second later.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var peakGc = gc.Between(peakFrom, peakTo);
            if (Environment.GetEnvironmentVariable("EXCHANGE_BENCH_ALLOC_TYPES") is not null)
                foreach (var (type, bytes) in gc.ByType.OrderByDescending(kv => kv.Value).Take(30)) Console.Error.WriteLine($"alloc {bytes / 1048576.0,10:N1} MB  {type}");
            var halfGc = gc.Between(halfFrom, halfTo);
            double KbPerTx(GcFigures g, int txs) => g.AllocatedBytes / 1024.0 / Math.Max(1, txs);
            double PausePerSec(GcFigures g, DateTime from, DateTime to) => g.PausedMs / Math.Max(1e-9, (to - from).TotalSeconds);
            double SuspendingPerSec(GcFigures g, DateTime from, DateTime to) => g.SuspendingMs / Math.Max(1e-9, (to - from).TotalSeconds);

            var verifyOneCore = VerifyRateOneCore(repo);
            var bound = Environment.ProcessorCount * verifyOneCore / validatorCount;
            Console.WriteLine($"devnet: {validatorCount} validator processes on {Environment.ProcessorCount} cores, {(runner.Pinned ? "each pinned to one" : "not pinned")}");
            Console.WriteLine($"  committed tx/s at peak                     {peak.TxPerSec,12:N0}");
            Console.WriteLine($"  signature bound (cores x verify/s / vals)  {bound,12:N0}  ratio {peak.TxPerSec / bound:P1} (target >= 60%)");
            Console.WriteLine($"  submit-to-commit at half load p50 / p99    {half.P50Ms,8:N1} / {half.P99Ms:N1} ms (target p50 <= 20 ms)");
            Console.WriteLine($"  submit-to-commit at peak p50 / p99         {peak.P50Ms,8:N1} / {peak.P99Ms:N1} ms");
            Console.WriteLine($"  block interval at peak / half load         {peak.BlockIntervalMs,8:N1} / {half.BlockIntervalMs:N1} ms");
            Console.WriteLine($"  node CPU per tx at peak / half load        {peak.CpuMicrosPerTx,8:N0} / {half.CpuMicrosPerTx:N0} us, per height at half load {half.CpuMsPerHeight:N1} ms");
            Console.WriteLine($"  node allocations per tx at peak / half     {KbPerTx(peakGc, peak.Transactions),8:N1} / {KbPerTx(halfGc, half.Transactions):N1} KB");
            Console.WriteLine($"  node GCs at peak (gen0/1/2), paused        {peakGc.Gen0,4}/{peakGc.Gen1}/{peakGc.Gen2}, {PausePerSec(peakGc, peakFrom, peakTo):N1} ms per second over {validatorCount} nodes");
            Console.WriteLine($"  node GCs at half load (gen0/1/2), paused   {halfGc.Gen0,4}/{halfGc.Gen1}/{halfGc.Gen2}, {PausePerSec(halfGc, halfFrom, halfTo):N1} ms per second over {validatorCount} nodes");
            Console.WriteLine($"  of the pauses, stopping the threads        {SuspendingPerSec(peakGc, peakFrom, peakTo),8:N1} / {SuspendingPerSec(halfGc, halfFrom, halfTo):N1} ms per second at peak / half load");
            await runner.StopAllAsync(TimeSpan.FromSeconds(20));
            var coresAfter = CoreSpeeds.Measure(TimeSpan.FromSeconds(1));
            // Per core, the mean of its two probes; the capacity is what every core verifying with nothing else to do
            // would give, for the same figure of the bound's but measured around this run.
            var cores = coresBefore is { } b && coresAfter is { } a ? b.Zip(a, (x, y) => (x + y) / 2).ToArray() : null;
            var capacity = cores is null ? double.NaN : cores.Sum() / validatorCount;
            if (cores is not null)
                Console.WriteLine($"  cores' verify/s before and after the run   {string.Join(" / ", cores.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}: "
                    + $"{capacity:N0} tx/s for {validatorCount} validators, the peak {peak.TxPerSec / capacity:P1} of it");
            IEnumerable<KeyValuePair<string, double>> coreFigures = cores is null ? [] :
            [
                new("verify_per_sec_slowest_core_at_run", Math.Round(cores.Min())),
                new("verify_per_sec_fastest_core_at_run", Math.Round(cores.Max())),
                new("signature_capacity_at_run_tx_per_sec", Math.Round(capacity)),
                new("committed_share_of_capacity_at_run", Math.Round(peak.TxPerSec / capacity, 4)),
            ];
            // With one validator every order goes to the proposer: a group left empty has no median, and no figure.
            var splitFigures = new KeyValuePair<string, double>[]
            {
                new("half_load_p50_submit_to_height_start_ms", Math.Round(half.Split.ToHeightP50Ms, 2)),
                new("half_load_p50_holding_height_ms", Math.Round(half.Split.OwnHeightP50Ms, 2)),
                new("half_load_p50_sent_to_proposer_ms", Math.Round(half.Split.AtProposerP50Ms, 2)),
                new("half_load_p50_sent_elsewhere_ms", Math.Round(half.Split.ElsewhereP50Ms, 2)),
            }.Where(f => double.IsFinite(f.Value));
            return
            [
                new("committed_tx_per_sec", Math.Round(peak.TxPerSec, 1)),
                new("signature_bound_tx_per_sec", Math.Round(bound)),
                new("committed_share_of_signature_bound", Math.Round(peak.TxPerSec / bound, 4)),
                new("p50_submit_to_commit_ms", Math.Round(half.P50Ms, 2)),
                new("p99_submit_to_commit_ms", Math.Round(half.P99Ms, 2)),
                new("half_load_tx_per_sec", Math.Round(half.TxPerSec, 1)),
                new("peak_first_block_ms", Math.Round(peak.FirstCommitMs, 1)),
                new("peak_tx_per_sec_from_first_block", Math.Round(peak.BetweenBlocksTxPerSec, 1)),
                new("peak_p50_submit_to_commit_ms", Math.Round(peak.P50Ms, 2)),
                new("peak_p99_submit_to_commit_ms", Math.Round(peak.P99Ms, 2)),
                new("block_interval_ms", Math.Round(peak.BlockIntervalMs, 2)),
                new("half_load_block_interval_ms", Math.Round(half.BlockIntervalMs, 2)),
                new("half_load_p50_submit_to_admission_ms", Math.Round(half.AdmissionP50Ms, 2)),
                new("half_load_p50_submit_to_seen_ms", Math.Round(half.SeenP50Ms, 2)),
                .. splitFigures,
                new("peak_node_cpu_us_per_tx", Math.Round(peak.CpuMicrosPerTx, 1)),
                new("half_load_node_cpu_us_per_tx", Math.Round(half.CpuMicrosPerTx, 1)),
                new("half_load_node_cpu_ms_per_height", Math.Round(half.CpuMsPerHeight, 2)),
                new("peak_node_alloc_kb_per_tx", Math.Round(KbPerTx(peakGc, peak.Transactions), 2)),
                new("half_load_node_alloc_kb_per_tx", Math.Round(KbPerTx(halfGc, half.Transactions), 2)),
                new("peak_node_gcs", peakGc.Gen0 + peakGc.Gen1 + peakGc.Gen2),
                new("peak_node_gen2_gcs", peakGc.Gen2),
                new("peak_node_gc_pause_ms_per_sec", Math.Round(PausePerSec(peakGc, peakFrom, peakTo), 2)),
                new("half_load_node_gc_pause_ms_per_sec", Math.Round(PausePerSec(halfGc, halfFrom, halfTo), 2)),
                new("peak_node_gc_suspend_ms_per_sec", Math.Round(SuspendingPerSec(peakGc, peakFrom, peakTo), 2)),
                new("half_load_node_gc_suspend_ms_per_sec", Math.Round(SuspendingPerSec(halfGc, halfFrom, halfTo), 2)),
                .. coreFigures,
                new("validators", validatorCount),
                new("cores", Environment.ProcessorCount),
                new("nodes_pinned_to_cores", runner.Pinned ? 1 : 0),
            ];
        }
        finally
        {
            await client.Terminate();
            runner.Dispose();
            // EXCHANGE_BENCH_KEEP=1 leaves the nodes' logs and journals for a look afterwards.
            if (Environment.GetEnvironmentVariable("EXCHANGE_BENCH_KEEP") is null)
            {
                try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
            else Console.WriteLine($"kept the devnet in {root}");
        }
    }

    /// <param name="AdmissionP50Ms">Median time from submission to the mempool's verdict (decoded, signature checked, admitted).</param>
    /// <param name="SeenP50Ms">Median time from submission to this client reading the block's line (the commit plus the line's way here).</param>
    /// <param name="CpuMicrosPerTx">CPU time of all node processes from the phase's start until its transactions were all found committed, per transaction.</param>
    /// <param name="CpuMsPerHeight">The same CPU time per height committed meanwhile.</param>
    /// <param name="Transactions">The phase's transactions found committed.</param>
    private sealed record PhaseFigures(
        double TxPerSec, double P50Ms, double P99Ms, double BlockIntervalMs, double AdmissionP50Ms, double SeenP50Ms, double CpuMicrosPerTx, double CpuMsPerHeight,
        int Transactions, double BetweenBlocksTxPerSec, double FirstCommitMs, LatencySplit Split);

    /// <param name="ToHeightP50Ms">Median time from submission to the line of the block before the one holding it.</param>
    /// <param name="OwnHeightP50Ms">Median time from that line to the holding block's line.</param>
    /// <param name="AtProposerP50Ms">Median latency of transactions sent to the validator that proposed their block.</param>
    /// <param name="ElsewhereP50Ms">The same for transactions sent to another validator, which reached the proposer by gossip.</param>
    /// <param name="AtProposerShare">The share of transactions sent to their block's proposer.</param>
    private sealed record LatencySplit(double ToHeightP50Ms, double OwnHeightP50Ms, double AtProposerP50Ms, double ElsewhereP50Ms, double AtProposerShare);

    /// <summary>CPU time used so far by every node process together: per transaction or per height it moves much less than rates when the machine drifts.</summary>
    private static TimeSpan NodesCpu(DevnetRunner runner) => runner.Nodes.Aggregate(TimeSpan.Zero, (sum, n) => sum + n.ProcessorTime);

    /// <summary>Waits until every accepted transaction is in a block of the first validator, then times each from submission to that block's line.</summary>
    private static async Task<PhaseFigures> Committed(DevnetRunner runner, ActorSystem client, IReadOnlyDictionary<PublicKey, int> proposers, List<Sent> sent,
        long phaseStart, TimeSpan cpuAtStart)
    {
        var node = runner.Nodes[0];
        var ledger = client.ActorSelection($"akka.tcp://exchange@127.0.0.1:{node.Port}/user/{NodePaths.Ledger}");
        var sentBy = sent.ToDictionary(s => s.Hash);
        var heightOf = new Dictionary<Hash32, ulong>();
        var proposerOf = new Dictionary<ulong, int>();
        var from = FirstHeightAfter(node, phaseStart);
        // The phase ends when the node's block lines have counted every accepted transaction (the phase before it
        // drained completely); only then are its blocks read back. Reading them while it runs made the first
        // validator's ledger encode every block a second time, on the height's path, and this client decode them.
        var watch = Stopwatch.StartNew();
        var counted = 0L;
        var next = from;
        while (counted < sentBy.Count && watch.Elapsed < TimeSpan.FromSeconds(120))
        {
            while (node.TransactionsAt(next) is { } n)
            {
                counted += n;
                next++;
            }
            if (counted < sentBy.Count) await Task.Delay(10);
        }
        var cpu = (NodesCpu(runner) - cpuAtStart).TotalMilliseconds;
        watch.Restart();
        while (heightOf.Count < sentBy.Count && watch.Elapsed < TimeSpan.FromSeconds(120))
        {
            var range = await ledger.Ask<object>(new GetBlocks(from, 50), TimeSpan.FromSeconds(10));
            if (range is not BlockRange { Blocks.Count: > 0 } r)
            {
                await Task.Delay(100);
                continue;
            }
            foreach (var b in r.Blocks)
            {
                proposerOf[b.Height] = proposers.GetValueOrDefault(b.Block.Header.Proposer, -1);
                foreach (var tx in b.Block.Transactions)
                    if (sentBy.ContainsKey(tx.Hash())) heightOf[tx.Hash()] = b.Height;
                from = b.Height + 1;
            }
        }
        if (heightOf.Count < sentBy.Count) Console.Error.WriteLine($"{sentBy.Count - heightOf.Count} accepted transactions were not committed within 120 s");
        var latencies = new List<double>();
        var seenLatencies = new List<double>();
        // Where the median goes: from submission to the line of the block before the one holding the transaction
        // (about when the height that built it began: admission, gossip to the proposer and the rest of the height then
        // running), and that height itself; and the latency of transactions whose block came from the validator they
        // were sent to, against the others, which reached the proposer by gossip.
        List<double> toHeight = [], ownHeight = [], atProposer = [], elsewhere = [];
        long last = 0;
        ulong firstHeight = ulong.MaxValue, lastHeight = 0;
        foreach (var (hash, height) in heightOf)
        {
            if (node.SeenAt(height) is not { } seen || node.PrintedAt(height) is not { } printed) continue;
            var order = sentBy[hash];
            var latency = (printed - order.SubmittedUnixMicros) / 1_000.0;
            latencies.Add(latency);
            seenLatencies.Add((seen - order.SubmittedAt) * 1_000.0 / Stopwatch.Frequency);
            last = Math.Max(last, seen);
            firstHeight = Math.Min(firstHeight, height);
            lastHeight = Math.Max(lastHeight, height);
            if (node.PrintedAt(height - 1) is not { } before) continue;
            toHeight.Add((before - order.SubmittedUnixMicros) / 1_000.0);
            ownHeight.Add((printed - before) / 1_000.0);
            (proposerOf.GetValueOrDefault(height, -1) == order.Mempool ? atProposer : elsewhere).Add(latency);
        }
        foreach (var list in new[] { latencies, seenLatencies, toHeight, ownHeight, atProposer, elsewhere }) list.Sort();
        var split = new LatencySplit(Percentile(toHeight, 0.50), Percentile(ownHeight, 0.50), Percentile(atProposer, 0.50), Percentile(elsewhere, 0.50),
            atProposer.Count + elsewhere.Count == 0 ? 0 : atProposer.Count / (double)(atProposer.Count + elsewhere.Count));
        var admission = sent.Select(s => (s.AcceptedAt - s.SubmittedAt) * 1_000.0 / Stopwatch.Frequency).Order().ToList();
        var elapsed = (last - phaseStart) / (double)Stopwatch.Frequency;
        var interval = lastHeight > firstHeight && node.PrintedAt(firstHeight) is { } a && node.PrintedAt(lastHeight) is { } z
            ? (z - a) / 1_000.0 / (lastHeight - firstHeight) : 0;
        var heights = lastHeight >= firstHeight ? lastHeight - firstHeight + 1 : 0;
        // The rate while blocks were coming: the phase's transactions after its first block, over the time from that
        // block's commit to the last one's. It leaves out the pipeline's filling (submission, verification and the
        // first height) that the phase's own rate, timed from its first submission, includes.
        var inFirst = heightOf.Values.Count(h => h == firstHeight);
        var between = lastHeight > firstHeight && node.PrintedAt(firstHeight) is { } f && node.PrintedAt(lastHeight) is { } l
            ? (latencies.Count - inFirst) / ((l - f) / 1e6) : 0;
        var firstCommitMs = node.SeenAt(firstHeight) is { } fs ? (fs - phaseStart) * 1_000.0 / Stopwatch.Frequency : 0;
        return new PhaseFigures(latencies.Count / Math.Max(elapsed, 1e-9), Percentile(latencies, 0.50), Percentile(latencies, 0.99), interval,
            Percentile(admission, 0.50), Percentile(seenLatencies, 0.50), cpu * 1_000 / Math.Max(1, latencies.Count), cpu / Math.Max(1UL, heights),
            latencies.Count, between, firstCommitMs, split);
    }

    /// <summary>The first height the node printed after <paramref name="timestamp"/> (earlier blocks cannot hold the phase's transactions).</summary>
    private static ulong FirstHeightAfter(DevnetNode node, long timestamp)
    {
        var h = node.View().Height;
        while (h > 1 && node.SeenAt(h - 1) is { } t && t > timestamp) h--;
        return Math.Max(1, h);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>The single-core BIP340 verify rate from bench/results/crypto.json, or a one-second measurement when it is missing.</summary>
    private static double VerifyRateOneCore(RepositoryLayout repo)
    {
        var path = Path.Combine(repo.ResultsDirectory, "crypto.json");
        if (File.Exists(path))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (doc.RootElement.TryGetProperty("verify_per_sec_one_core", out var v)) return v.GetDouble();
        }
        var loops = CryptoLoops.OverTheSuitesSet();
        return CryptoLoops.PerSecond(TimeSpan.FromSeconds(1), loops.VerifyPass);
    }

    private static async Task WaitFor(Func<bool> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout) throw new BenchPrerequisiteException($"the devnet did not reach {what} within {timeout.TotalSeconds:N0} s");
            await Task.Delay(200);
        }
    }

}
