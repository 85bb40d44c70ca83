using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Exchange.Node.Ledger;

namespace Exchange.Node.Tests.Ledger;

/// <summary>
/// One incarnation of a node's ledger: its own actor system on a store, the ledger actor, a probe to talk to it and
/// a probe that sees what the ledger publishes. Disposing it terminates the actor system, as a stopped node would.
/// </summary>
internal sealed class LedgerNode : IAsyncDisposable
{
    private static int _incarnations;

    private LedgerNode(ActorSystem system, IActorRef ledger, TestProbe probe, TestProbe published, TestProbe errors, LedgerSettings settings)
    {
        Errors = errors;
        System = system;
        Ledger = ledger;
        Probe = probe;
        Published = published;
        Settings = settings;
    }

    public ActorSystem System { get; }
    public IActorRef Ledger { get; }
    /// <summary>Sends to the ledger and receives its replies; watches it, so a stop shows as <see cref="Terminated"/>.</summary>
    public TestProbe Probe { get; }
    /// <summary>Receives <see cref="BlockApplied"/> and <see cref="LedgerHalted"/> from the event stream.</summary>
    public TestProbe Published { get; }
    public LedgerSettings Settings { get; }
    /// <summary>Receives logged errors, to say why a ledger stopped when a test did not expect it.</summary>
    private TestProbe Errors { get; }

    /// <summary>Ledger settings for tests: no snapshots unless asked, and a halt stops only the ledger.</summary>
    public const string TestLedgerConfig = """
        exchange.ledger {
          snapshot-interval = 1000
          stop-node-on-halt = off
        }
        """ + QuietLogging;

    /// <summary>Warnings and errors reach the event stream; nothing is printed.</summary>
    public const string QuietLogging = """

        akka.loglevel = WARNING
        akka.stdout-loglevel = OFF
        akka.loggers = ["Exchange.Node.Tests.Ledger.SilentLogger, Exchange.Node.Tests"]
        """;

    public static LedgerNode Start(TestKitBase kit, LedgerStore store, TestChain chain, string overrides = "", Func<LedgerSettings, LedgerSettings>? adjust = null)
    {
        var config = ConfigurationFactory.ParseString(overrides)
            .WithFallback(ConfigurationFactory.ParseString(TestLedgerConfig))
            .WithFallback(store.Config)
            .WithFallback(LedgerSettings.DefaultConfig);
        var system = ActorSystem.Create($"ledger-test-{Interlocked.Increment(ref _incarnations)}", config);
        var settings = LedgerSettings.Create(system.Settings.Config, chain.Genesis);
        if (adjust is not null) settings = adjust(settings);
        var published = kit.CreateTestProbe(system);
        system.EventStream.Subscribe(published.Ref, typeof(BlockApplied));
        system.EventStream.Subscribe(published.Ref, typeof(LedgerHalted));
        var errors = kit.CreateTestProbe(system);
        system.EventStream.Subscribe(errors.Ref, typeof(Akka.Event.Error));
        var ledger = LedgerStartup.Start(system, settings);
        var probe = kit.CreateTestProbe(system);
        probe.Watch(ledger);
        return new LedgerNode(system, ledger, probe, published, errors, settings);
    }

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>Commits one block of the chain and returns the ledger's answer (applied or rejected).</summary>
    public object Send(CommitBlock command)
    {
        Ledger.Tell(command, Probe.Ref);
        return Expect<ILedgerMessage>();
    }

    /// <summary>The ledger's next answer; if it stopped instead, fails with the reason it published.</summary>
    private T Expect<T>()
    {
        var message = Probe.ReceiveOne(Patience);
        if (message is Terminated)
        {
            var halted = Published.ReceiveWhile(TimeSpan.FromSeconds(1), m => m, 1000).OfType<LedgerHalted>().FirstOrDefault();
            var errors = string.Join(" | ", Errors.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m, 1000).OfType<Akka.Event.Error>().Select(e => $"{e.Message} {e.Cause}"));
            Assert.Fail($"the ledger stopped instead of answering: {halted?.Reason ?? "no halt published"}; errors: {errors}");
        }
        return Assert.IsAssignableFrom<T>(message);
    }

    /// <summary>Commits blocks <paramref name="from"/> to <paramref name="to"/> of the chain, checking each app hash.</summary>
    public void Commit(TestChain chain, ulong from, ulong to)
    {
        for (var h = from; h <= to; h++)
        {
            var answer = Send(chain.Command(h));
            var applied = Assert.IsType<BlockApplied>(answer);
            Assert.Equal(h, applied.Height);
            Assert.Equal(chain.AppHashAt(h), applied.AppHash);
        }
    }

    public T Ask<T>(object query)
    {
        Ledger.Tell(query, Probe.Ref);
        return Expect<T>();
    }

    public LedgerStatus Status() => Ask<LedgerStatus>(GetStatus.Instance);

    /// <summary>Waits for the ledger to halt and stop; returns the reason it published.</summary>
    public string ExpectHalt()
    {
        var halted = Published.FishForMessage<LedgerHalted>(m => m is LedgerHalted, Patience);
        Probe.ExpectTerminated(Ledger, Patience);
        return halted.Reason;
    }

    public async ValueTask DisposeAsync()
    {
        await System.Terminate();
    }
}
