using Akka.Actor;
using Exchange.Core.Crypto;

namespace Exchange.Node.Peers;

/// <summary>
/// What the peer directory publishes on the actor system's event stream. These stay inside one node (they carry
/// Akka addresses, not wire encodings), so they skip the serialization check.
/// Subscribe with <c>system.EventStream.Subscribe(actor, typeof(IPeerEvent))</c>; ask <see cref="GetPeers"/> for the
/// peers verified before the subscription.
/// </summary>
public interface IPeerEvent : INoSerializationVerificationNeeded;

/// <summary>A cluster member proved with its signed hello that it holds <see cref="Key"/>.</summary>
public sealed record PeerVerified(PublicKey Key, Address Address, IReadOnlyList<string> Roles) : IPeerEvent;

/// <summary>A verified member left the cluster (removed, downed, or replaced by a new incarnation at its address).</summary>
public sealed record PeerLost(PublicKey Key, Address Address) : IPeerEvent;

/// <summary>A member's hello failed a check; the member is not in the directory. Logged as a warning for validators.</summary>
public sealed record PeerRejected(Address Address, IReadOnlyList<string> Roles, HelloCheck Reason) : IPeerEvent;

/// <summary>One verified peer: its key, where it runs, which incarnation, and its cluster roles.</summary>
public sealed record Peer(PublicKey Key, Address Address, long Uid, IReadOnlyList<string> Roles);

/// <summary>Asks the directory for every verified peer; answered with <see cref="PeerSnapshot"/>.</summary>
public sealed record GetPeers : INoSerializationVerificationNeeded
{
    public static readonly GetPeers Instance = new();
}

/// <summary>The verified peers, sorted by address.</summary>
public sealed record PeerSnapshot(IReadOnlyList<Peer> Peers) : INoSerializationVerificationNeeded;
