using Akka.Actor;
using Exchange.Core.Crypto;

namespace Exchange.Node.Peers;

/// <summary>
/// Keeps the verified peers a local actor needs to reach, from the peer directory's events and its snapshot at start,
/// and tells that actor again whenever the set changes. A subclass says which peers count and what message carries
/// them; the remote references name <c>/user/{name}</c> on each peer's address, so no round trip is needed to build them.
/// </summary>
public abstract class PeerRefsActor : ReceiveActor
{
    private readonly IActorRef _target;
    private readonly SortedDictionary<string, (Address Address, PublicKey Key)> _peers = new(StringComparer.Ordinal);

    protected PeerRefsActor(IActorRef target)
    {
        _target = target;
        Receive<PeerSnapshot>(s =>
        {
            foreach (var peer in s.Peers) Add(peer.Address, peer.Key, peer.Roles);
            Publish();
        });
        Receive<PeerVerified>(e =>
        {
            Add(e.Address, e.Key, e.Roles);
            Publish();
        });
        Receive<PeerLost>(e =>
        {
            if (_peers.Remove(e.Address.ToString())) Publish();
        });
        Receive<PeerRejected>(_ => { });
    }

    /// <summary>Whether a peer with these roles is one the target talks to.</summary>
    protected abstract bool Wanted(IReadOnlyList<string> roles);

    /// <summary>The message telling the target its peers, sorted by address.</summary>
    protected abstract object Message(IReadOnlyList<(PublicKey Key, Address Address)> peers);

    /// <summary>The actor at <c>/user/{name}</c> on <paramref name="address"/>.</summary>
    protected IActorRef RemoteRef(Address address, string name) =>
        ((ExtendedActorSystem)Context.System).Provider.ResolveActorRef(new RootActorPath(address) / "user" / name);

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(IPeerEvent));
        // Peers verified before this actor started.
        Context.ActorSelection("/user/" + PeerDirectoryActor.Name).Tell(GetPeers.Instance);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void Add(Address address, PublicKey key, IReadOnlyList<string> roles)
    {
        if (Wanted(roles)) _peers[address.ToString()] = (address, key);
    }

    private void Publish() => _target.Tell(Message([.. _peers.Values.Select(p => (p.Key, p.Address))]));
}
