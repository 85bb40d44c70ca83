using Akka.Actor;
using Akka.Event;
using Exchange.Core.Crypto;
using Exchange.Core.Oracle;
using Exchange.Node.Validator;

namespace Exchange.Node.Oracle;

/// <summary>
/// Produces the validator's price observations. On <see cref="ObservationRequested"/> (the validator, at the start of
/// each height) it reads its <see cref="IPriceSource"/> without blocking (the read is piped back as a message), stamps
/// the reading with the wall clock (informational only: the chain uses block time), checks it with
/// <see cref="PriceObservation.Validate"/> and answers <see cref="ObservationReady"/>. The observation is unsigned:
/// the validator signs it as its precommit's vote extension (<c>IPrivValidator.SignExtension</c>), so the validator's
/// key stays in one place and this actor holds none. The last observation is kept, so every ask for a height gets
/// the same one, and concurrent asks for a height share one read. A failing, slow or unusable source gets no answer
/// (the validator precommits without an extension) and an <see cref="ObservationUnavailable"/> on the event stream.
/// </summary>
public sealed class OracleActor : ReceiveActor
{
    public static Props Props(OracleSettings settings, IPriceSource source, PublicKey validator, TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new OracleActor(settings, source, validator, clock ?? TimeProvider.System));

    private readonly OracleSettings _settings;
    private readonly IPriceSource _source;
    private readonly PublicKey _validator;
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<ulong, List<IActorRef>> _waiting = [];
    private PriceObservation? _last;

    private sealed record ReadDone(ulong Height, IReadOnlyList<IndexQuote> Quotes);

    private sealed record ReadFailed(ulong Height, string Reason);

    public OracleActor(OracleSettings settings, IPriceSource source, PublicKey validator, TimeProvider clock)
    {
        _settings = settings;
        _source = source;
        _validator = validator;
        _clock = clock;

        Receive<ObservationRequested>(OnRequested);
        Receive<ReadDone>(OnRead);
        Receive<ReadFailed>(f => Fail(f.Height, f.Reason));
    }

    private void OnRequested(ObservationRequested ask)
    {
        if (ask.Height == 0)
        {
            Fail(0, "an observation rides on a precommit, and heights start at 1");
            return;
        }
        if (_last is { } last && last.Height == ask.Height)
        {
            Sender.Tell(new ObservationReady(last));
            return;
        }
        if (_waiting.TryGetValue(ask.Height, out var waiting))
        {
            waiting.Add(Sender);
            return;
        }
        _waiting[ask.Height] = [Sender];
        var height = ask.Height;
        var timeout = new CancellationTokenSource();
        var read = Read(height, timeout.Token);
        // A source that answers at once (the simulated feed does) is taken in at once: an observation is asked for at
        // every height, and the timers and hand-offs of the wait below would cost more than the reading.
        if (read.IsCompleted)
        {
            timeout.Dispose();
            if (read.IsCompletedSuccessfully) OnRead(new ReadDone(height, read.Result));
            else Fail(height, WhyFailed(read));
            return;
        }
        timeout.CancelAfter(_settings.ObserveTimeout);
        // The token lives until the source is done with it, even when the wait below gives up first.
        read.ContinueWith(_ => timeout.Dispose(), TaskScheduler.Default);
        read.WaitAsync(_settings.ObserveTimeout)
            .ContinueWith(t => t.IsCompletedSuccessfully ? new ReadDone(height, t.Result) : (object)new ReadFailed(height, WhyFailed(t)), TaskScheduler.Default)
            .PipeTo(Self);
    }

    private string WhyFailed(Task read) =>
        read.IsCanceled || read.Exception?.GetBaseException() is TimeoutException or OperationCanceledException
            ? $"the price source did not answer within {_settings.ObserveTimeout.TotalMilliseconds:F0} ms"
            : $"the price source failed: {read.Exception?.GetBaseException().Message}";

    private Task<IReadOnlyList<IndexQuote>> Read(ulong height, CancellationToken cancellationToken)
    {
        try
        {
            return _source.ReadAsync(height, cancellationToken);
        }
        catch (Exception e)
        {
            return Task.FromException<IReadOnlyList<IndexQuote>>(e);
        }
    }

    private void OnRead(ReadDone read)
    {
        var observation = PriceObservation.Create(_validator, read.Height, _clock.GetUtcNow().ToUnixTimeMilliseconds(), read.Quotes ?? []);
        var check = observation.Validate();
        if (!check.IsValid)
        {
            Fail(read.Height, $"the price source gave an unusable reading: {check.Message}");
            return;
        }
        if (_last is null || observation.Height >= _last.Height) _last = observation;
        if (!_waiting.Remove(read.Height, out var waiting)) return;
        var ready = new ObservationReady(observation);
        foreach (var w in waiting) w.Tell(ready);
    }

    private void Fail(ulong height, string reason)
    {
        _waiting.Remove(height);
        _log.Warning("no price observation for height {0}: {1}", height, reason);
        Context.System.EventStream.Publish(new ObservationUnavailable(height, reason));
    }
}
