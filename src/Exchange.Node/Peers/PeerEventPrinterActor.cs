using Akka.Actor;

namespace Exchange.Node.Peers;

/// <summary>
/// Writes each peer event as one line an operator or a test can grep:
/// <c>peer verified KEY ADDRESS roles=validator</c>, <c>peer lost KEY ADDRESS</c>, <c>peer rejected ADDRESS reason=R</c>.
/// </summary>
public sealed class PeerEventPrinterActor : ReceiveActor
{
    public static Props Props(TextWriter output) => Akka.Actor.Props.Create(() => new PeerEventPrinterActor(output)).WithDeploy(Deploy.Local);

    public PeerEventPrinterActor(TextWriter output)
    {
        Receive<PeerVerified>(e => output.WriteLine($"peer verified {e.Key} {e.Address} roles={string.Join(",", e.Roles)}"));
        Receive<PeerLost>(e => output.WriteLine($"peer lost {e.Key} {e.Address}"));
        Receive<PeerRejected>(e => output.WriteLine($"peer rejected {e.Address} reason={e.Reason} roles={string.Join(",", e.Roles)}"));
    }

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(IPeerEvent));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
