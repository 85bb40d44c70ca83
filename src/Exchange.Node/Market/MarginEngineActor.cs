using Akka.Actor;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.State;

namespace Exchange.Node.Market;

/// <summary>
/// The node's live risk view: every account's latest <see cref="AccountRisk"/> and the liquidation candidates after
/// the last block, for queries, for subscribers to an account, and for the proposer. It computes nothing itself:
/// the figures come from the state's own margin rules, copied by the ledger into each <see cref="StateAdvanced"/>
/// (accounts a block touched every block, accounts with holdings every risk-refresh height, all at a full view),
/// so an account's figures are those of the height they carry. Candidates are re-scanned every block, since marks
/// move every block.
/// </summary>
public sealed class MarginEngineActor : ReceiveActor
{
    /// <param name="subscribeToEventStream">Take <see cref="StateAdvanced"/> from the event stream and ask the ledger for a full view at start.</param>
    public static Props Props(bool subscribeToEventStream = true) => Akka.Actor.Props.Create(() => new MarginEngineActor(subscribeToEventStream));

    private readonly bool _subscribeToEventStream;
    private readonly Dictionary<PublicKey, AccountRisk> _accounts = [];
    private readonly Dictionary<PublicKey, HashSet<IActorRef>> _subscribers = [];
    private readonly Dictionary<IActorRef, HashSet<PublicKey>> _subscriptions = [];
    private IReadOnlyList<LiquidationCandidate> _candidates = [];
    private ulong _height;

    public MarginEngineActor(bool subscribeToEventStream)
    {
        _subscribeToEventStream = subscribeToEventStream;
        Receive<StateAdvanced>(OnStateAdvanced);
        Receive<GetAccountRisk>(q => Sender.Tell(_accounts.TryGetValue(q.Account, out var risk) ? risk : Unknown(q.Account)));
        Receive<GetLiquidationCandidates>(q =>
        {
            var max = Math.Clamp(q.Max, 0, Block.MaxLiquidations);
            Sender.Tell(new LiquidationCandidates(_height, _candidates.Count <= max ? _candidates : _candidates.Take(max).ToArray(), q.RequestId));
        });
        Receive<SubscribeAccount>(OnSubscribe);
        Receive<UnsubscribeAccount>(u =>
        {
            Remove(u.Subscriber, u.Account);
            Sender.Tell(new AccountUnsubscribed(u.Account));
        });
        Receive<CountSubscribers>(_ => Sender.Tell(_subscriptions.Count));
        Receive<Terminated>(t =>
        {
            if (!_subscriptions.Remove(t.ActorRef, out var keys)) return;
            foreach (var key in keys) RemoveSubscriber(key, t.ActorRef);
        });
    }

    protected override void PreStart()
    {
        if (!_subscribeToEventStream) return;
        Context.System.EventStream.Subscribe(Self, typeof(StateAdvanced));
        Context.System.EventStream.Publish(ReadSideResyncRequested.Instance);
    }

    protected override void PostStop()
    {
        if (_subscribeToEventStream) Context.System.EventStream.Unsubscribe(Self);
    }

    private void OnStateAdvanced(StateAdvanced update)
    {
        if (update.Height < _height) return;   // an older view, e.g. a resync answered after a newer block
        _height = update.Height;
        if (update.IsFull) _accounts.Clear();
        foreach (var risk in update.Accounts)
        {
            _accounts[risk.Account] = risk;
            if (_subscribers.TryGetValue(risk.Account, out var subscribers))
            {
                var message = new AccountRiskUpdate(risk);
                foreach (var s in subscribers) s.Tell(message);
            }
        }
        _candidates = update.LiquidationCandidates ?? [];
    }

    private void OnSubscribe(SubscribeAccount s)
    {
        if (!_subscriptions.TryGetValue(s.Subscriber, out var keys))
        {
            _subscriptions[s.Subscriber] = keys = [];
            Context.Watch(s.Subscriber);
        }
        keys.Add(s.Account);
        if (!_subscribers.TryGetValue(s.Account, out var subscribers)) _subscribers[s.Account] = subscribers = [];
        var added = subscribers.Add(s.Subscriber);
        Sender.Tell(new AccountSubscribed(s.Account));
        if (added && _accounts.TryGetValue(s.Account, out var risk)) s.Subscriber.Tell(new AccountRiskUpdate(risk));
    }

    private void Remove(IActorRef subscriber, PublicKey account)
    {
        if (!_subscriptions.TryGetValue(subscriber, out var keys) || !keys.Remove(account)) return;
        RemoveSubscriber(account, subscriber);
        if (keys.Count > 0) return;
        _subscriptions.Remove(subscriber);
        Context.Unwatch(subscriber);
    }

    private void RemoveSubscriber(PublicKey account, IActorRef subscriber)
    {
        if (_subscribers.TryGetValue(account, out var set) && set.Remove(subscriber) && set.Count == 0) _subscribers.Remove(account);
    }

    private UnknownAccount Unknown(PublicKey account) =>
        new(account, _height, $"no account {account} as of block {_height}: an account exists once it is funded (deposit or transfer)");
}
