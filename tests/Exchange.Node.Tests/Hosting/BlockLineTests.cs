using Akka.Actor;
using Akka.TestKit.Xunit2;
using Exchange.Core.Crypto;
using Exchange.Node.Hosting;
using Exchange.Node.Ledger;

namespace Exchange.Node.Tests.Hosting;

public class BlockLineTests : TestKit
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public void A_line_should_read_back_as_it_was_written()
    {
        var line = new BlockLine(42, 1, 17, 1_700_000_000_123, "ab12", "cd34", 1_700_000_000_456_789);
        Assert.Equal("block 42 round=1 txs=17 time=1700000000123 app=ab12 hash=cd34 at=1700000000456789", line.Format());
        Assert.Equal(line, BlockLine.TryParse(line.Format()));
    }

    [Fact]
    public void A_line_without_the_print_time_should_still_read_as_a_block()
    {
        // Nodes before the at field printed this; the devnet table and the bench still read them.
        var parsed = BlockLine.TryParse("block 7 round=0 txs=3 time=1700000000000 app=ab12 hash=cd34");
        Assert.Equal(new BlockLine(7, 0, 3, 1_700_000_000_000, "ab12", "cd34", null), parsed);
    }

    [Theory]
    [InlineData("blocks 7 round=0 txs=3 time=1 app=a hash=b")]
    [InlineData("block x round=0 txs=3 time=1 app=a hash=b")]
    [InlineData("block 7 round=-1 txs=3 time=1 app=a hash=b")]
    [InlineData("block 7 round=0 txs=3 time=1 app= hash=b")]
    [InlineData("block 7 round=0 txs=3 time=1 app=a")]
    [InlineData("block 7 round=0 txs=NaN time=1 app=a hash=b")]
    public void A_malformed_line_should_not_read_as_a_block(string text) => Assert.Null(BlockLine.TryParse(text));

    [Fact]
    public void A_print_time_that_is_not_a_number_should_read_as_absent()
    {
        Assert.Null(BlockLine.TryParse("block 7 round=0 txs=3 time=1 app=a hash=b at=soon")!.PrintedUnixMicros);
    }

    [Fact]
    public void The_printer_should_write_each_applied_block_once_with_its_print_time()
    {
        var output = new StringWriter();
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250).AddTicks(4_560);
        var printer = Sys.ActorOf(BlockPrinterActor.Props(output, new FixedClock(now)));
        var block = WireFixtures.Block_Height1;
        var appHash = Hash32.Compute("after-1"u8);
        var applied = new BlockApplied(1, appHash, block, []) { Commit = WireFixtures.Commit_Height1_ThreeOfFour };

        printer.Tell(applied);
        printer.Tell(applied);
        // The printer takes messages in order: once the halt is printed, the second copy has been seen and dropped.
        printer.Tell(new LedgerHalted("test over"));
        AwaitCondition(() => output.ToString().Contains("ledger halted test over"));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        var line = lines[0];
        var parsed = BlockLine.TryParse(line)!;
        Assert.Equal(new BlockLine(1, WireFixtures.Commit_Height1_ThreeOfFour.Round, block.Transactions.Count, block.Header.TimeUnixMs,
            appHash.ToString(), block.Hash().ToString(), 1_700_000_000_250_456), parsed);
    }
}
