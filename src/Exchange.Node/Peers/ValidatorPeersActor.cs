using Akka.Actor;
using Exchange.Core.Crypto;
using Exchange.Node.Hosting;
using Exchange.Node.Validator;

namespace Exchange.Node.Peers;

/// <summary>
/// Turns the peer directory into what the validator actor needs: the validator actor of every verified peer with the
/// <c>validator</c> role, by node key (<see cref="ValidatorPeersChanged"/>), sent again whenever a peer is verified or
/// lost. The validator actor itself decides which of these keys count: the validator set is the stake in the ledger,
/// and a key without stake is ignored there. The remote reference names the actor at
/// <c>/user/{validator name}</c> on the peer's address; no round trip is needed to build it.
/// </summary>
public sealed class ValidatorPeersActor : ReceiveActor
{
    public const string DefaultValidatorName = "validator";

    private readonly IActorRef _validator;
    private readonly string _validatorName;
    private readonly SortedDictionary<string, (Address Address, PublicKey Key)> _peers = new(StringComparer.Ordinal);

    public static Props Props(IActorRef validator, string validatorName = DefaultValidatorName) =>
        Akka.Actor.Props.Create(() => new ValidatorPeersActor(validator, validatorName)).WithDeploy(Deploy.Local);

    public ValidatorPeersActor(IActorRef validator, string validatorName)
    {
        _validator = validator;
        _validatorName = validatorName;
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

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(IPeerEvent));
        // Peers verified before this actor started.
        Context.ActorSelection("/user/" + PeerDirectoryActor.Name).Tell(GetPeers.Instance);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void Add(Address address, PublicKey key, IReadOnlyList<string> roles)
    {
        if (roles.Contains(NodeSettings.ValidatorRole)) _peers[address.ToString()] = (address, key);
    }

    private void Publish()
    {
        var provider = ((ExtendedActorSystem)Context.System).Provider;
        // Sorted by address, so when one key is verified at two addresses the same one wins on every node.
        var map = new Dictionary<PublicKey, IActorRef>();
        foreach (var (address, key) in _peers.Values)
            map[key] = provider.ResolveActorRef(new RootActorPath(address) / "user" / _validatorName);
        _validator.Tell(new ValidatorPeersChanged(map));
    }
}
