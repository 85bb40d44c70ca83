using Exchange.Core.Ledger;
using Exchange.Core.State;
using Exchange.Node.Ledger;

namespace Exchange.Node.Tests.Ledger;

/// <summary>The ledger actor's answers to what consensus and block sync send it, on a SQLite store.</summary>
public sealed class LedgerActorTests() : Akka.TestKit.Xunit2.TestKit(LedgerNode.QuietLogging), IAsyncLifetime
{
    private static TestChain Chain => TestChain.Shared;
    private readonly SqliteLedgerStore _store = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private LedgerNode Start(string overrides = "") => LedgerNode.Start(this, _store, Chain, overrides);

    /// <summary>The block with its header changed, and a commit for the changed block, so only the change is wrong.</summary>
    private static CommitBlock Altered(ulong height, Func<BlockHeader, BlockHeader> change)
    {
        var block = Chain.At(height).Block;
        var altered = block with { Header = change(block.Header) };
        return new CommitBlock(altered, TestChain.CommitFor(altered));
    }

    [Fact]
    public async Task Block_at_the_wrong_height_should_be_rejected_and_change_nothing()
    {
        await using var node = Start();
        node.Commit(Chain, 1, 2);

        var ahead = Assert.IsType<BlockRejected>(node.Send(Chain.Command(4)));
        Assert.Equal(new BlockRejected(4, BlockRejection.WrongHeight, "block 4 offered at ledger height 2; the next block is 3"), ahead);
        var again = Assert.IsType<BlockRejected>(node.Send(Chain.Command(2)));
        Assert.Equal(BlockRejection.WrongHeight, again.Code);

        Assert.Equal(Chain.AppHashAt(2), node.Status().AppHash);
        Assert.Equal(2UL, node.Status().Height);
        Assert.Equal([1UL, 2UL], node.Published.ReceiveWhile(TimeSpan.FromMilliseconds(300), m => ((BlockApplied)m).Height, 10));
        node.Commit(Chain, 3, 3);
        await using var restarted = await RestartAsync(node);
        Assert.Equal(3UL, restarted.Status().Height);
    }

    [Fact]
    public async Task Block_for_another_chain_time_app_hash_or_commit_should_be_rejected_and_change_nothing()
    {
        await using var node = Start();
        node.Commit(Chain, 1, 1);
        var previous = Chain.At(1).Block.Header;

        Assert.Equal(BlockRejection.WrongChain, Rejection(node.Send(Altered(2, h => h with { ChainId = "another-chain" }))));
        Assert.Equal(BlockRejection.TimeNotAfter, Rejection(node.Send(Altered(2, h => h with { TimeUnixMs = previous.TimeUnixMs }))));
        var diverged = Rejection(node.Send(Altered(2, h => h with { AppHash = Exchange.Core.Crypto.Hash32.Compute("elsewhere"u8) })));
        Assert.Equal(BlockRejection.AppHashMismatch, diverged);
        var foreignCommit = new CommitBlock(Chain.At(2).Block, Chain.At(3).Commit);
        var mismatch = Assert.IsType<BlockRejected>(node.Send(foreignCommit));
        Assert.Equal(BlockRejection.CommitMismatch, mismatch.Code);
        Assert.StartsWith("the commit is for height 3", mismatch.Reason);

        Assert.Equal(new LedgerStatus(1, Chain.AppHashAt(1), previous.TimeUnixMs), node.Status());
        node.Commit(Chain, 2, 2);
    }

    [Fact]
    public async Task Applied_block_should_be_answered_and_published_with_the_state_machine_events()
    {
        await using var node = Start();
        var events = new List<StateEvent>();
        for (var h = 1UL; h <= 8; h++)
        {
            var answer = Assert.IsType<BlockApplied>(node.Send(Chain.Command(h)));
            var published = node.Published.ExpectMsg<BlockApplied>();
            Assert.Same(answer, published);
            Assert.Equal(Chain.At(h).Block, answer.Block);
            events.AddRange(answer.Events);
        }
        Assert.Contains(events, e => e is OrderEvent);
        Assert.Contains(events, e => e is TxRejected);
    }

    [Fact]
    public async Task Block_sync_reply_should_be_capped_at_the_configured_maximum()
    {
        await using var node = Start("exchange.ledger.max-blocks-per-request = 4");
        node.Commit(Chain, 1, 6);
        Assert.Equal([2UL, 3UL, 4UL, 5UL], node.Ask<BlockRange>(new GetBlocks(2, 100)).Blocks.Select(b => b.Height));
        Assert.Empty(node.Ask<BlockRange>(new GetBlocks(0, 10)).Blocks);
        Assert.Equal(new BlockNotFound(0, 6), node.Ask<BlockNotFound>(new GetBlock(0)));
    }

    [Fact]
    public async Task Halted_ledger_should_stop_the_node_when_so_configured()
    {
        await using (var node = Start())
            node.Commit(Chain, 1, 3);
        var message = _store.Query($"SELECT message FROM {LedgerStore.JournalTable} WHERE sequence_number = 2", r => (byte[])r.GetValue(0)).Single();
        var block = LedgerSerializer.DecodeBlockCommitted(message);
        _store.Execute($"UPDATE {LedgerStore.JournalTable} SET message = @m WHERE sequence_number = 2",
            ("@m", LedgerSerializer.Encode(block with { AppHash = Chain.AppHashAt(1) })));

        await using var halted = Start("exchange.ledger.stop-node-on-halt = on");
        await halted.System.WhenTerminated.WaitAsync(LedgerNode.Patience);
    }

    private static BlockRejection Rejection(object answer) => Assert.IsType<BlockRejected>(answer).Code;

    private async Task<LedgerNode> RestartAsync(LedgerNode node)
    {
        await node.DisposeAsync();
        return Start();
    }
}
