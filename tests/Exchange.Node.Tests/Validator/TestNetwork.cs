using System.Collections.Concurrent;
using Akka.Actor;
using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Node.Validator;

namespace Exchange.Node.Tests.Validator;

/// <summary>
/// The links between test validators: every validator reaches peer j through tap j, which records each vote sent
/// and drops what crosses an isolated node. Peers keep talking to the taps when a validator restarts behind one.
/// </summary>
internal sealed class TestNetwork
{
    private readonly ConcurrentDictionary<IActorRef, int> _nodeOf = new();
    private readonly ConcurrentDictionary<int, byte> _isolated = new();
    private readonly ConcurrentQueue<Vote> _votes = new();

    public void Register(IActorRef validator, int node) => _nodeOf[validator] = node;

    public void Isolate(int node) => _isolated[node] = 0;

    public void Heal(int node) => _isolated.TryRemove(node, out _);

    public bool Blocked(IActorRef sender, int to) =>
        _isolated.ContainsKey(to) || (_nodeOf.TryGetValue(sender, out var from) && _isolated.ContainsKey(from));

    public void Record(Vote vote) => _votes.Enqueue(vote);

    /// <summary>Every (validator, height, round, type) for which two different votes were sent.</summary>
    public IReadOnlyList<string> ConflictingVotes() =>
    [
        .. _votes.GroupBy(v => (v.Validator, v.Height, v.Round, v.Type))
            .Where(g => g.Select(v => v.BlockHash).Distinct().Count() > 1)
            .Select(g => $"{g.Key.Validator} h{g.Key.Height} r{g.Key.Round} {g.Key.Type}: {string.Join(", ", g.Select(v => v.BlockHash).Distinct())}"),
    ];

    public int VotesSentBy(PublicKey validator) => _votes.Count(v => v.Validator == validator);
}

/// <summary>Stands for validator <c>node</c> in its peers' maps; forwards to whichever actor runs it now, keeping the sender.</summary>
internal sealed class Tap : ReceiveActor
{
    public sealed record SetTarget(IActorRef Target);

    private IActorRef _target = ActorRefs.Nobody;

    public static Props Props(int node, TestNetwork network) => Akka.Actor.Props.Create(() => new Tap(node, network));

    public Tap(int node, TestNetwork network)
    {
        Receive<SetTarget>(t => _target = t.Target);
        ReceiveAny(m =>
        {
            if (m is Vote v) network.Record(v);
            if (!network.Blocked(Sender, node)) _target.Forward(m);
        });
    }
}
