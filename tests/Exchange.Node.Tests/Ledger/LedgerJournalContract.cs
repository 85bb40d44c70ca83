using Akka.Streams;
using Akka.Streams.Dsl;
using Exchange.Core.Crypto;
using Exchange.Node.Ledger;

namespace Exchange.Node.Tests.Ledger;

/// <summary>
/// What the ledger promises of its store, run against SQLite and PostgreSQL alike: committed blocks survive a
/// restart with their app hashes, recovery starts from a snapshot and checks every block it replays, a tampered
/// journal row stops the ledger with the height and both hashes, a failed write stops it with nothing applied, and
/// old blocks are served from the journal through Akka.Persistence.Query.
/// </summary>
public abstract class LedgerJournalContract() : Akka.TestKit.Xunit2.TestKit(LedgerNode.QuietLogging), IAsyncLifetime
{
    private protected static TestChain Chain => TestChain.Shared;
    private LedgerStore? _store;

    private protected LedgerStore Store => _store ?? throw new InvalidOperationException("the store is created in InitializeAsync");

    protected abstract Task<LedgerStore> CreateStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
    }

    private LedgerNode Start(string overrides = "") => LedgerNode.Start(this, Store, Chain, overrides);

    [Fact]
    public async Task Ledger_should_recover_its_height_and_app_hash_after_a_restart_and_go_on()
    {
        await using (var node = Start())
        {
            Assert.Equal(new LedgerStatus(0, Chain.GenesisAppHash, Chain.Genesis.GenesisTimeUnixMs), node.Status());
            node.Commit(Chain, 1, 12);
        }
        await using (var node = Start())
        {
            Assert.Equal(new LedgerStatus(12, Chain.AppHashAt(12), Chain.At(12).Block.Header.TimeUnixMs), node.Status());
            node.Commit(Chain, 13, 15);
        }
        await using (var node = Start())
            Assert.Equal(Chain.AppHashAt(15), node.Status().AppHash);

        var rows = Store.Query($"SELECT sequence_number, identifier, manifest FROM {LedgerStore.JournalTable} ORDER BY sequence_number",
            r => (Seq: r.GetInt64(0), Serializer: r.GetInt32(1), Manifest: r.GetString(2)));
        Assert.Equal(Enumerable.Range(1, 15).Select(i => (long)i), rows.Select(r => r.Seq));
        Assert.All(rows, r => Assert.Equal((LedgerSerializer.Id, LedgerSerializer.BlockCommittedManifest), (r.Serializer, r.Manifest)));
    }

    [Fact]
    public async Task Ledger_should_recover_from_its_newest_snapshot_and_replay_only_the_later_blocks()
    {
        const string everyFive = "exchange.ledger.snapshot-interval = 5";
        await using (var node = Start(everyFive))
        {
            node.Commit(Chain, 1, 17);
            // Snapshots at 5, 10, 15; keeping two deletes the one at 5 once 15 is saved.
            AwaitAssert(() => Assert.Equal([10L, 15L], SnapshotHeights()), LedgerNode.Patience);
        }
        // A recorded hash before the snapshot is never checked again: recovery starts at 15.
        TamperRecordedAppHash(3);
        await using (var node = Start(everyFive))
        {
            Assert.Equal(17UL, node.Status().Height);
            Assert.Equal(Chain.AppHashAt(17), node.Status().AppHash);
            node.Commit(Chain, 18, 19);
        }
        // A block after the snapshot is replayed and checked.
        TamperRecordedAppHash(18);
        await using (var node = Start(everyFive))
            Assert.Contains("app hash mismatch at height 18", node.ExpectHalt());
    }

    [Fact]
    public async Task Tampered_journal_row_should_stop_recovery_with_the_height_and_both_hashes()
    {
        await using (var node = Start())
            node.Commit(Chain, 1, 6);
        var forged = TamperRecordedAppHash(4);
        await using var restarted = Start();
        var reason = restarted.ExpectHalt();
        Assert.Contains($"app hash mismatch at height 4: recorded {forged}, computed {Chain.AppHashAt(4)}", reason);
    }

    [Fact]
    public async Task Failed_write_should_stop_the_ledger_with_nothing_applied()
    {
        await using (var node = Start())
        {
            node.Commit(Chain, 1, 5);
            for (var h = 1UL; h <= 5; h++) Assert.Equal(h, node.Published.ExpectMsg<BlockApplied>().Height);
            Store.Execute($"ALTER TABLE {LedgerStore.JournalTable} RENAME TO hidden_journal");
            node.Ledger.Tell(Chain.Command(6), node.Probe.Ref);
            // The next thing published is the halt, not block 6; the ledger stops without answering.
            Assert.Contains("block 6 could not be written", node.Published.ExpectMsg<LedgerHalted>(LedgerNode.Patience).Reason);
            node.Probe.ExpectTerminated(node.Ledger, LedgerNode.Patience);
            node.Probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
            Store.Execute($"ALTER TABLE hidden_journal RENAME TO {LedgerStore.JournalTable}");
        }
        await using (var node = Start())
        {
            Assert.Equal(new LedgerStatus(5, Chain.AppHashAt(5), Chain.At(5).Block.Header.TimeUnixMs), node.Status());
            node.Commit(Chain, 6, 7);
        }
    }

    [Fact]
    public async Task Blocks_beyond_the_recent_cache_should_be_served_from_the_journal()
    {
        const string smallCache = "exchange.ledger.recent-blocks = 3";
        await using (var node = Start(smallCache))
            node.Commit(Chain, 1, 10);
        await using var restarted = Start(smallCache);
        var range = restarted.Ask<BlockRange>(new GetBlocks(1, 100));
        Assert.Equal(10UL, range.LedgerHeight);
        Assert.Equal(Chain.Blocks.Take(10), range.Blocks);

        var partial = restarted.Ask<BlockRange>(new GetBlocks(4, 3));
        Assert.Equal([4UL, 5UL, 6UL], partial.Blocks.Select(b => b.Height));
        Assert.Equal(Chain.At(9), restarted.Ask<BlockFound>(new GetBlock(9)).Block);
        Assert.Equal(Chain.At(2), restarted.Ask<BlockFound>(new GetBlock(2)).Block);
        Assert.Equal(new BlockNotFound(11, 10), restarted.Ask<BlockNotFound>(new GetBlock(11)));
        Assert.Empty(restarted.Ask<BlockRange>(new GetBlocks(11, 5)).Blocks);

        // A read model follows the chain from the journal and sees new blocks as they are committed.
        var followed = LedgerQueries.Blocks(restarted.System, restarted.Settings, 8)
            .Take(5)
            .RunWith(Sink.Seq<BlockCommitted>(), restarted.System.Materializer());
        restarted.Commit(Chain, 11, 12);
        var seen = await followed.WaitAsync(LedgerNode.Patience);
        Assert.Equal(Chain.Blocks.Skip(7).Take(5), seen);
    }

    private List<long> SnapshotHeights() =>
        Store.Query($"SELECT sequence_number FROM {LedgerStore.SnapshotTable} ORDER BY sequence_number", r => r.GetInt64(0));

    /// <summary>Rewrites the recorded app hash of one journal row, as a damaged disk or a hand edit would; returns the forged hash.</summary>
    private Hash32 TamperRecordedAppHash(ulong height)
    {
        var message = Store.Query($"SELECT message FROM {LedgerStore.JournalTable} WHERE sequence_number = {height}", r => (byte[])r.GetValue(0)).Single();
        var original = LedgerSerializer.DecodeBlockCommitted(message);
        var forged = Hash32.Compute(original.AppHash.ToArray());
        var changed = Store.Execute($"UPDATE {LedgerStore.JournalTable} SET message = @message WHERE sequence_number = {height}",
            ("@message", LedgerSerializer.Encode(original with { AppHash = forged })));
        Assert.Equal(1, changed);
        return forged;
    }
}

public sealed class SqliteLedgerJournalTests : LedgerJournalContract
{
    protected override Task<LedgerStore> CreateStoreAsync() => Task.FromResult<LedgerStore>(new SqliteLedgerStore());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresLedgerJournalTests(PostgresServer server) : LedgerJournalContract
{
    protected override async Task<LedgerStore> CreateStoreAsync() => await PostgresLedgerStore.CreateAsync(server);
}
