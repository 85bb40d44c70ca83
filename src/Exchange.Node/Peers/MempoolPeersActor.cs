using Akka.Actor;
using Exchange.Node.Mempool;

namespace Exchange.Node.Peers;

/// <summary>
/// Gives the mempool the mempool of every verified peer, validators and full nodes alike (<see cref="PeersChanged"/>),
/// so a transaction submitted anywhere reaches the next proposer by gossip.
/// </summary>
public sealed class MempoolPeersActor : ReceiveActor
{
    private readonly IActorRef _mempool;
    private readonly SortedDictionary<string, Address> _peers = new(StringComparer.Ordinal);

    public static Props Props(IActorRef mempool) => Akka.Actor.Props.Create(() => new MempoolPeersActor(mempool)).WithDeploy(Deploy.Local);

    public MempoolPeersActor(IActorRef mempool)
    {
        _mempool = mempool;
        Receive<PeerSnapshot>(s =>
        {
            foreach (var peer in s.Peers) _peers[peer.Address.ToString()] = peer.Address;
            Publish();
        });
        Receive<PeerVerified>(e =>
        {
            _peers[e.Address.ToString()] = e.Address;
            Publish();
        });
        Receive<PeerLost>(e =>
        {
            if (_peers.Remove(e.Address.ToString())) Publish();
        });
        Receive<PeerRejected>(_ => { });
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(IPeerEvent));
        Context.ActorSelection("/user/" + PeerDirectoryActor.Name).Tell(GetPeers.Instance);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void Publish()
    {
        var provider = ((ExtendedActorSystem)Context.System).Provider;
        _mempool.Tell(new PeersChanged([.. _peers.Values.Select(a => provider.ResolveActorRef(new RootActorPath(a) / "user" / Hosting.NodePaths.Mempool))]));
    }
}
