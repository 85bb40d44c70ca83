using Exchange.Core.Ledger.Codec;
using Exchange.Node.Ledger;

namespace Exchange.Node.Tests.Ledger;

/// <summary>The ledger's queries on the wire: strict decoding, and replies kept within the frame budget.</summary>
public sealed class LedgerWireCodecTests() : Akka.TestKit.Xunit2.TestKit(LedgerNode.QuietLogging), IAsyncLifetime
{
    private static TestChain Chain => TestChain.Shared;
    private readonly SqliteLedgerStore _store = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public void Block_range_should_round_trip_and_refuse_blocks_that_are_not_consecutive()
    {
        var range = new BlockRange(1, [Chain.At(1), Chain.At(2), Chain.At(3)], 40);
        var back = LedgerWireCodec.DecodeBlockRange(LedgerWireCodec.Encode(range));
        Assert.Equal(range.Blocks, back.Blocks);
        Assert.Equal((range.FromHeight, range.LedgerHeight), (back.FromHeight, back.LedgerHeight));

        Assert.Throws<ArgumentException>(() => LedgerWireCodec.Encode(new BlockRange(1, [Chain.At(1), Chain.At(3)], 40)));
        var shifted = LedgerWireCodec.Encode(new BlockRange(2, [Chain.At(2)], 40));
        shifted[1] = 1; // from = 1, but the block is at height 2
        Assert.Equal(DecodeError.ValueOutOfRange, Assert.Throws<DecodeException>(() => LedgerWireCodec.DecodeBlockRange(shifted)).Error);
    }

    [Fact]
    public void Ledger_messages_should_refuse_trailing_bytes_and_unknown_versions()
    {
        var status = LedgerWireCodec.Encode(new LedgerStatus(3, Chain.AppHashAt(3), 5));
        Assert.Equal(DecodeError.TrailingBytes, Assert.Throws<DecodeException>(() => LedgerWireCodec.DecodeLedgerStatus([.. status, 0])).Error);
        status[0] = 2;
        Assert.Equal(DecodeError.UnknownVersion, Assert.Throws<DecodeException>(() => LedgerWireCodec.DecodeLedgerStatus(status)).Error);
        var found = LedgerWireCodec.Encode(new BlockFound(Chain.At(1)));
        Assert.Equal(DecodeError.Truncated, Assert.Throws<DecodeException>(() => LedgerWireCodec.DecodeBlockFound(found[..^1])).Error);
    }

    [Fact]
    public void Unavailable_reason_should_be_cut_to_printable_ascii()
    {
        var back = LedgerWireCodec.DecodeBlocksUnavailable(LedgerWireCodec.Encode(new BlocksUnavailable(4, "naïve\n" + new string('x', 1000))));
        Assert.Equal(LedgerWireCodec.MaxReasonLength, back.Reason.Length);
        Assert.StartsWith("na?ve?xx", back.Reason);
    }

    [Fact]
    public void Budget_should_keep_a_prefix_that_fits_and_always_the_first_block()
    {
        var blocks = Enumerable.Range(1, 10).Select(h => Chain.At((ulong)h)).ToArray();
        var sizes = blocks.Select(b => LedgerSerializer.Encode(b).Length + 5).ToArray();
        Assert.Equal(blocks, LedgerWireCodec.WithinBudget(blocks, int.MaxValue));
        Assert.Equal([blocks[0]], LedgerWireCodec.WithinBudget(blocks, 1));
        Assert.Equal(blocks.Take(3), LedgerWireCodec.WithinBudget(blocks, sizes[0] + sizes[1] + sizes[2]));
        Assert.Equal(blocks.Take(2), LedgerWireCodec.WithinBudget(blocks, sizes[0] + sizes[1] + sizes[2] - 1));
    }

    [Fact]
    public async Task Ledger_should_answer_a_block_range_within_its_byte_budget_and_accounts_by_key()
    {
        var sizes = Enumerable.Range(1, 6).Select(h => LedgerSerializer.Encode(Chain.At((ulong)h)).Length + 5).ToArray();
        await using var node = LedgerNode.Start(this, _store, Chain, adjust: s => s with { BlockRangeBudget = sizes[1] + sizes[2] });
        node.Commit(Chain, 1, 6);
        Assert.Equal([2UL, 3UL], node.Ask<BlockRange>(new GetBlocks(2, 100)).Blocks.Select(b => b.Height));
        Assert.Equal([6UL], node.Ask<BlockRange>(new GetBlocks(6, 100)).Blocks.Select(b => b.Height));

        var senders = Chain.Blocks.Take(6).SelectMany(b => b.Block.Transactions).Select(t => t.Sender).Distinct().ToArray();
        var infos = senders.Select(s => node.Ask<AccountInfo>(new GetAccount(s))).ToArray();
        Assert.All(infos, i => Assert.Equal(6UL, i.Height));
        Assert.Contains(infos, i => i is { Exists: true, Nonce: > 0 });
        var stranger = WireFixtures.Key("nobody").PublicKey;
        Assert.Equal(new AccountInfo(stranger, false, 0, 0, 6), node.Ask<AccountInfo>(new GetAccount(stranger)));
    }
}
