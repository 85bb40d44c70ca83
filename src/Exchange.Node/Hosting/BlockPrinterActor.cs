using Akka.Actor;
using Exchange.Node.Ledger;

namespace Exchange.Node.Hosting;

/// <summary>
/// Writes one line per applied block that an operator, the devnet's table or a test can read:
/// <c>block HEIGHT round=R txs=N time=MS app=APPHASH hash=BLOCKHASH</c>, plus <c>ledger halted REASON</c> when the
/// ledger stops itself. The app hash is the state after the block, so two nodes agree on a height iff its lines agree.
/// </summary>
public sealed class BlockPrinterActor : ReceiveActor
{
    public static Props Props(TextWriter output) => Akka.Actor.Props.Create(() => new BlockPrinterActor(output)).WithDeploy(Deploy.Local);

    private ulong _printed;

    public BlockPrinterActor(TextWriter output)
    {
        Receive<BlockApplied>(b =>
        {
            if (b.Height <= _printed) return;
            _printed = b.Height;
            output.WriteLine($"block {b.Height} round={b.Commit?.Round ?? 0} txs={b.Block.Transactions.Count} time={b.Block.Header.TimeUnixMs} app={b.AppHash} hash={b.Block.Hash()}");
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
