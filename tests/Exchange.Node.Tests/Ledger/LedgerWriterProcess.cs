using Akka.Actor;
using Akka.Configuration;
using Exchange.Node.Ledger;

namespace Exchange.Node.Tests.Ledger;

/// <summary>
/// The test assembly's entry point, for the kill -9 test: <c>dotnet exec Exchange.Node.Tests.dll ledger-writer
/// DATA-DIR BLOCKS</c> commits the first BLOCKS blocks of <see cref="LedgerWriterProcess.Chain"/> to a SQLite ledger
/// in DATA-DIR, a few in flight at a time, prints <c>applied HEIGHT</c> for every block the ledger acknowledged,
/// and then waits to be killed.
/// </summary>
public static class LedgerWriterProcess
{
    public const string Command = "ledger-writer";
    public const int InFlight = 4;
    internal static TestChain Chain(int blocks) => TestChain.Build(TestChain.DefaultSeed, blocks);

    public static int Main(string[] args)
    {
        if (args is not [Command, var dataDir, var count] || !int.TryParse(count, out var blocks))
        {
            Console.Error.WriteLine($"usage: Exchange.Node.Tests {Command} <data-dir> <blocks>");
            return 2;
        }
        var chain = Chain(blocks);
        var config = ConfigurationFactory.ParseString(LedgerNode.TestLedgerConfig)
            .WithFallback(SqliteLedgerStore.ForDataDir(dataDir))
            .WithFallback(LedgerSettings.DefaultConfig);
        var system = ActorSystem.Create("ledger-writer", config);
        var ledger = LedgerStartup.Start(system, LedgerSettings.Create(system.Settings.Config, chain.Genesis));
        system.ActorOf(Props.Create(() => new Writer(ledger, chain)), "writer");
        system.WhenTerminated.Wait();
        return 0;
    }

    /// <summary>Keeps <see cref="InFlight"/> blocks sent ahead of the acknowledgements and prints each one.</summary>
    private sealed class Writer : ReceiveActor
    {
        public Writer(IActorRef ledger, TestChain chain)
        {
            var next = 1UL;
            void Send()
            {
                if (next > (ulong)chain.Blocks.Count) return;
                ledger.Tell(chain.Command(next++));
            }
            for (var i = 0; i < InFlight; i++) Send();
            Receive<BlockApplied>(applied =>
            {
                Console.Out.WriteLine($"applied {applied.Height}");
                Send();
            });
            Receive<BlockRejected>(rejected => Console.Out.WriteLine($"rejected {rejected.Height}: {rejected.Reason}"));
        }
    }
}
