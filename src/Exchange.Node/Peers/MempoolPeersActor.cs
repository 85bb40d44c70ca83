using Akka.Actor;
using Exchange.Core.Crypto;
using Exchange.Node.Mempool;

namespace Exchange.Node.Peers;

/// <summary>
/// Gives the mempool the mempool of every verified peer, validators and full nodes alike (<see cref="PeersChanged"/>),
/// so a transaction submitted anywhere reaches the next proposer by gossip.
/// </summary>
public sealed class MempoolPeersActor(IActorRef mempool) : PeerRefsActor(mempool)
{
    public static Props Props(IActorRef mempool) => Akka.Actor.Props.Create(() => new MempoolPeersActor(mempool)).WithDeploy(Deploy.Local);

    protected override bool Wanted(IReadOnlyList<string> roles) => true;

    protected override object Message(IReadOnlyList<(PublicKey Key, Address Address)> peers) =>
        new PeersChanged([.. peers.Select(p => RemoteRef(p.Address, Hosting.NodePaths.Mempool))]);
}
