using Akka.Actor;
using Akka.Event;

namespace Exchange.Node.Tests.Ledger;

/// <summary>
/// A logger that prints nothing: the ledger tests provoke halts on purpose, and their error logs would bury the test
/// output. Log events still reach the event stream, where a test that did not expect a stop reads them.
/// </summary>
public sealed class SilentLogger : ReceiveActor
{
    public SilentLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        ReceiveAny(_ => { });
    }
}
