using Akka.Actor;
using Exchange.Core.Numerics;

namespace Exchange.Node.Market;

/// <summary>
/// The registry of the node's market data: one <see cref="OrderBookActor"/> child per live instrument, created when
/// the instrument first shows up in a <see cref="StateAdvanced"/> and stopped when it settles. Routes queries and
/// subscriptions by instrument name and answers for instruments it has no child for: settled ones and unknown ones,
/// each with a clear <see cref="MarketDataError"/>. Takes <see cref="StateAdvanced"/> from the event stream (where the
/// ledger publishes it) or from any sender.
/// </summary>
public sealed class MarketDataActor : ReceiveActor
{
    /// <param name="subscribeToEventStream">Take <see cref="StateAdvanced"/> from the event stream and ask the ledger for a full view at start.</param>
    public static Props Props(ReadModelSettings settings, bool subscribeToEventStream = true) =>
        Akka.Actor.Props.Create(() => new MarketDataActor(settings, subscribeToEventStream));

    private readonly ReadModelSettings _settings;
    private readonly bool _subscribeToEventStream;
    private readonly SortedDictionary<string, Child> _children = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ulong Height, Price? Price)> _settled = new(StringComparer.Ordinal);
    private ulong _height;

    private sealed record Child(IActorRef Actor, InstrumentView View);

    public MarketDataActor(ReadModelSettings settings, bool subscribeToEventStream)
    {
        _settings = settings;
        _subscribeToEventStream = subscribeToEventStream;

        Receive<StateAdvanced>(OnStateAdvanced);
        Receive<GetInstruments>(_ => Sender.Tell(new InstrumentList(_height, _children.Values.Select(c => c.View).ToArray())));
        Receive<GetBook>(q =>
        {
            if (q.Depth < 1) Sender.Tell(new MarketDataError(q.Instrument, MarketDataErrorCode.InvalidDepth, $"depth {q.Depth}: ask for at least 1 level"));
            else Route(q.Instrument, q);
        });
        Receive<GetTicker>(q => Route(q.Instrument, q));
        Receive<Subscribe>(s => Route(s.Instrument, s));
        Receive<Unsubscribe>(u =>
        {
            // Unsubscribing from a closed instrument is already done.
            if (_children.ContainsKey(u.Instrument) || !_settled.ContainsKey(u.Instrument)) Route(u.Instrument, u);
            else Sender.Tell(new Unsubscribed(u.Instrument, u.Channel));
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
        var indexes = update.Indexes.ToDictionary(i => i.Underlying, StringComparer.Ordinal);
        var books = update.Books.ToDictionary(b => b.Instrument, StringComparer.Ordinal);
        var trades = update.Trades.ToLookup(t => t.Instrument, StringComparer.Ordinal);
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var view in update.Instruments)
        {
            // A series name is formatted on each read (strike, expiry): once per instrument and block is enough.
            var name = view.Name;
            present.Add(name);
            if (view.Settled) _settled[name] = (update.Height, view.SettlementPrice);
            if (!_children.TryGetValue(name, out var child))
            {
                if (view.Settled) continue;
                child = new Child(Context.ActorOf(OrderBookActor.Props(_settings, name), name), view);
            }
            child.Actor.Tell(new InstrumentBlock(update.Height, update.BlockTimeMs, update.RiskFreeRateMicros, view,
                indexes.GetValueOrDefault(view.Underlying), books.GetValueOrDefault(name), [.. trades[name]]));
            if (view.Settled) _children.Remove(name);   // the child closes and stops itself on this block
            else _children[name] = child with { View = view };
        }
        // Every view lists every live instrument: one missing has settled in a block this actor did not see.
        foreach (var gone in _children.Keys.Where(name => !present.Contains(name)).ToArray())
        {
            _children[gone].Actor.Tell(new CloseInstrument(update.Height, null));
            _children.Remove(gone);
            _settled[gone] = (update.Height, null);
        }
    }

    private void Route(string instrument, object message)
    {
        if (_children.TryGetValue(instrument, out var child)) child.Actor.Forward(message);
        else if (_settled.TryGetValue(instrument, out var settled))
            Sender.Tell(new MarketDataError(instrument, MarketDataErrorCode.InstrumentSettled,
                settled.Price is { } price
                    ? $"{instrument} settled at {price} in block {settled.Height}; it has no book any more"
                    : $"{instrument} has settled (seen at block {settled.Height}); it has no book any more"));
        else
            Sender.Tell(new MarketDataError(instrument, MarketDataErrorCode.UnknownInstrument,
                $"no instrument named '{instrument}' is listed; names look like BTC-27DEC26-100000-C (public/get_instruments lists them)"));
    }
}
