using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Exchange.Core.Crypto;
using Exchange.Node.Hosting;
using Exchange.Node.Keys;

namespace Exchange.Node.Peers;

/// <summary>
/// Keeps the verified directory of cluster peers: address ↔ node key. When a member comes Up the two directories
/// exchange signed <see cref="Hello"/>s; only a member whose hello passes every check is recorded and announced with
/// <see cref="PeerVerified"/>. A member that is not verified after <c>handshake.retry-interval</c> is asked again.
/// <para>
/// The directory says who is where, never who votes: the validator set is the stake recorded in the ledger. The
/// validator actor looks the keys of the ledger's validator set up here to find their addresses.
/// </para>
/// Runs at <c>/user/peers</c> on every node, so a peer can address it knowing only the member's address.
/// </summary>
public sealed class PeerDirectoryActor : ReceiveActor, IWithTimers
{
    public const string Name = "peers";

    /// <summary>Hellos that arrived before their sender's MemberUp; a handful is enough, more is someone flooding.</summary>
    private const int MaxEarlyHellos = 64;

    private sealed record RetryTick
    {
        public static readonly RetryTick Instance = new();
    }

    private readonly NodeSettings _settings;
    private readonly KeyPair _key;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<Address, Member> _up = [];
    private readonly Dictionary<Address, Peer> _verified = [];
    private readonly Dictionary<Address, (Hello Hello, IActorRef Sender)> _early = [];

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Local only: the actor holds the node's key and must never be deployed elsewhere.</summary>
    public static Props Props(NodeSettings settings, KeyPair key) =>
        Akka.Actor.Props.Create(() => new PeerDirectoryActor(settings, key)).WithDeploy(Deploy.Local);

    public PeerDirectoryActor(NodeSettings settings, KeyPair key)
    {
        _settings = settings;
        _key = key;

        Receive<ClusterEvent.MemberUp>(e => OnUp(e.Member));
        Receive<ClusterEvent.MemberRemoved>(e => OnGone(e.Member));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<Hello>(OnHello);
        Receive<RetryTick>(_ => RetryUnverified());
        Receive<GetPeers>(_ => Sender.Tell(new PeerSnapshot([.. _verified.Values.OrderBy(p => p.Address.ToString(), StringComparer.Ordinal)])));
    }

    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        Timers.StartPeriodicTimer(nameof(RetryTick), RetryTick.Instance, _settings.HandshakeRetryInterval);
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void OnUp(Member member)
    {
        if (member.UniqueAddress == _cluster.SelfUniqueAddress) return;
        if (_up.TryGetValue(member.Address, out var previous) && previous.UniqueAddress.Uid != member.UniqueAddress.Uid) Forget(member.Address);
        _up[member.Address] = member;
        SendHello(member, replyWanted: false);
        if (_early.Remove(member.Address, out var early)) Verify(early.Hello, early.Sender);
    }

    private void OnGone(Member member)
    {
        if (_up.TryGetValue(member.Address, out var known) && known.UniqueAddress.Uid == member.UniqueAddress.Uid)
        {
            _up.Remove(member.Address);
            Forget(member.Address);
        }
        _early.Remove(member.Address);
    }

    private void Forget(Address address)
    {
        if (!_verified.Remove(address, out var peer)) return;
        _log.Info("peer {0} at {1} left the cluster", peer.Key, address);
        Context.System.EventStream.Publish(new PeerLost(peer.Key, address));
    }

    private void OnHello(Hello hello)
    {
        var from = Sender.Path.Address;
        if (!_up.ContainsKey(from))
        {
            // The sender saw us Up before we saw it: check once its MemberUp arrives.
            if (_early.Count < MaxEarlyHellos || _early.ContainsKey(from)) _early[from] = (hello, Sender);
            return;
        }
        Verify(hello, Sender);
    }

    private void Verify(Hello hello, IActorRef sender)
    {
        var from = sender.Path.Address;
        var member = _up[from];
        var roles = member.Roles.Order(StringComparer.Ordinal).ToArray();
        var check = hello.Check(_settings.ChainId, _cluster.SelfAddress.ToString(), _cluster.SelfUniqueAddress.Uid, from.ToString());
        if (check == HelloCheck.Valid && hello.FromUid != member.UniqueAddress.Uid) check = HelloCheck.NotAMember;
        if (check == HelloCheck.Valid && !hello.Roles.SequenceEqual(roles)) check = HelloCheck.RoleMismatch;
        if (check != HelloCheck.Valid)
        {
            Reject(from, roles, check);
            return;
        }

        var peer = new Peer(hello.Key, from, hello.FromUid, roles);
        var known = _verified.TryGetValue(from, out var before) && before == peer;
        if (!known)
        {
            if (before is not null) Forget(from);
            _verified[from] = peer;
            foreach (var other in _verified.Values.Where(p => p.Key == peer.Key && p.Address != from))
                _log.Warning("key {0} is verified at both {1} and {2}: one key run by two nodes", peer.Key, other.Address, from);
            _log.Info("peer {0} verified at {1} (roles {2})", peer.Key, from, string.Join(",", roles));
            Context.System.EventStream.Publish(new PeerVerified(peer.Key, from, roles));
        }
        if (hello.ReplyWanted) SendHello(member, replyWanted: false);
    }

    private void Reject(Address from, string[] roles, HelloCheck reason)
    {
        if (roles.Contains(NodeSettings.ValidatorRole))
            _log.Warning("validator member at {0} failed the handshake ({1}); not recorded as a peer", from, reason);
        else
            _log.Info("member at {0} failed the handshake ({1}); not recorded as a peer", from, reason);
        Context.System.EventStream.Publish(new PeerRejected(from, roles, reason));
    }

    private void RetryUnverified()
    {
        foreach (var member in _up.Values)
            if (!_verified.ContainsKey(member.Address)) SendHello(member, replyWanted: true);
    }

    private void SendHello(Member member, bool replyWanted)
    {
        var hello = Hello.Create(_settings.ChainId, _key, _cluster.SelfRoles, _cluster.SelfAddress.ToString(), _cluster.SelfUniqueAddress.Uid,
            member.Address.ToString(), member.UniqueAddress.Uid, replyWanted, KeyGenerator.AuxRandomness());
        Context.ActorSelection(new RootActorPath(member.Address) / "user" / Name).Tell(hello, Self);
    }
}
