using Exchange.Core.State;
using Xunit.Abstractions;

namespace Exchange.Core.Tests.State;

/// <summary>
/// The consensus property: the same blocks through two fresh state machines give the same app hash
/// at every height, the invariants hold after every block, and a snapshot restored mid-way continues
/// with the same hashes.
/// </summary>
public class StateDeterminismTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(20261124UL, 1_000)]
    [InlineData(42UL, 1_000)]
    public void Two_state_machines_should_agree_on_every_block_and_survive_a_snapshot(ulong seed, int blocks)
    {
        var generator = new StateBlockGenerator(seed);
        var genesis = generator.Genesis();
        var a = ExchangeState.FromGenesis(genesis);
        var b = ExchangeState.FromGenesis(genesis, spec => new Exchange.Core.Markets.Book.ReferenceOrderBook(spec));
        Assert.Equal(a.AppHash, b.AppHash);
        int txs = 0, rejected = 0, trades = 0, liquidations = 0, settled = 0, slashed = 0;
        var codes = new SortedDictionary<int, int>();
        for (var height = 1; height <= blocks; height++)
        {
            var block = generator.NextBlock(a);
            var ra = a.Apply(block);
            var rb = b.Apply(block);
            Assert.True(ra.AppHash == rb.AppHash, $"seed {seed}: app hashes differ at height {height}");
            Assert.Equal(ra.Events.Count, rb.Events.Count);
            if ((ulong)height % StateHasher.CheckpointInterval == 0)
            {
                // The checkpoint's root is the state's alone: both machines and a from-scratch rebuild agree on it.
                Assert.Equal((ulong)height, a.CheckpointHeight);
                Assert.Equal(a.CheckpointRoot, b.CheckpointRoot);
                Assert.Equal(a.CheckpointRoot, ExchangeState.Restore(genesis, a.Snapshot()).ComputeStateRoot());
            }
            generator.Observe(a);
            txs += block.Transactions.Count;
            foreach (var r in ra.Events.OfType<TxRejected>())
            {
                rejected++;
                codes[r.Code] = codes.GetValueOrDefault(r.Code) + 1;
            }
            trades += ra.Events.OfType<Traded>().Count();
            liquidations += ra.Events.OfType<Liquidated>().Count();
            settled += ra.Events.OfType<Settled>().Count();
            slashed += ra.Events.OfType<Slashed>().Count();
            if (height == blocks / 2)
            {
                var snapshot = b.Snapshot();
                b = ExchangeState.Restore(genesis, snapshot);
                Assert.Equal(a.AppHash, b.AppHash);
                Assert.Equal(snapshot, b.Snapshot());
            }
        }
        output.WriteLine($"seed {seed}: {blocks} blocks, {txs} txs, {rejected} rejected, {trades} trades, {liquidations} liquidation steps, {settled} settlements, {slashed} slashings, {a.Accounts.Count} accounts, {a.RestingOrders} resting; rejections by code: {string.Join(", ", codes.Select(c => $"{c.Key}={c.Value}"))}");
        Assert.True(trades > 100, $"seed {seed}: only {trades} trades");
        Assert.True(slashed > 5, $"seed {seed}: only {slashed} slashings");
        Assert.True(rejected > txs / 20, $"seed {seed}: only {rejected} rejections");
    }
}
