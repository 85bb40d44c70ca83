using Akka.Actor;
using Exchange.Node.Ledger;

namespace Exchange.Node.Hosting;

/// <summary>
/// Writes one line per applied block that an operator, the devnet's table or a test can read:
/// <see cref="BlockLine"/>, plus <c>ledger halted REASON</c> when the ledger stops itself. The app hash is the state
/// after the block, so two nodes agree on a height iff their lines agree on it (the <c>at</c> field, this node's own
/// print time, differs).
/// </summary>
public sealed class BlockPrinterActor : ReceiveActor
{
    public static Props Props(TextWriter output, TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new BlockPrinterActor(output, clock ?? TimeProvider.System)).WithDeploy(Deploy.Local);

    private ulong _printed;

    public BlockPrinterActor(TextWriter output, TimeProvider clock)
    {
        Receive<BlockApplied>(b =>
        {
            if (b.Height <= _printed) return;
            _printed = b.Height;
            // BlockApplied is published once the block is in the journal, so the print time is the commit as this node saw it.
            var line = new BlockLine(b.Height, b.Commit?.Round ?? 0, b.Block.Transactions.Count, b.Block.Header.TimeUnixMs, b.AppHash.ToString(),
                b.Block.Hash().ToString(), BlockLine.UnixMicros(clock.GetUtcNow()));
            output.WriteLine(line.Format());
        });
        Receive<LedgerHalted>(h => output.WriteLine($"ledger halted {h.Reason}"));
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(BlockApplied));
        Context.System.EventStream.Subscribe(Self, typeof(LedgerHalted));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
