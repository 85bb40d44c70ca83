using Akka.Actor;
using Akka.Event;
using Exchange.Core.Crypto;
using Exchange.Core.Oracle;
using Exchange.Node.Keys;

namespace Exchange.Node.Oracle;

/// <summary>
/// Produces the validator's price observations: on <see cref="ObserveFor"/> it reads its <see cref="IPriceSource"/>
/// (without blocking: the read is piped back as a message), stamps the reading with the wall clock (informational
/// only; the chain uses block time), checks it with <see cref="PriceObservation.Validate"/> and signs it with the
/// validator's key for this chain. The last observation is kept, so every round of a height carries the same one.
/// </summary>
public sealed class OracleActor : ReceiveActor
{
    public static Props Props(OracleSettings settings, IPriceSource source, KeyPair validator, string chainId, TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new OracleActor(settings, source, validator, chainId, clock ?? TimeProvider.System));

    private readonly OracleSettings _settings;
    private readonly IPriceSource _source;
    private readonly KeyPair _validator;
    private readonly string _chainId;
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<ulong, List<IActorRef>> _waiting = [];
    private PriceObservation? _last;

    private sealed record ReadDone(ulong Height, IReadOnlyList<IndexQuote> Quotes);

    private sealed record ReadFailed(ulong Height, string Reason);

    public OracleActor(OracleSettings settings, IPriceSource source, KeyPair validator, string chainId, TimeProvider clock)
    {
        _settings = settings;
        _source = source;
        _validator = validator;
        _chainId = chainId;
        _clock = clock;

        Receive<ObserveFor>(OnObserve);
        Receive<ReadDone>(OnRead);
        Receive<ReadFailed>(f => Answer(f.Height, new ObservationUnavailable(f.Height, f.Reason)));
    }

    private void OnObserve(ObserveFor ask)
    {
        if (ask.Height == 0)
        {
            Sender.Tell(new ObservationUnavailable(0, "an observation rides on a precommit, and heights start at 1"));
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
        var timeout = new CancellationTokenSource(_settings.ObserveTimeout);
        var read = Read(height, timeout.Token);
        // The token lives until the source is done with it, even when the wait below gives up first.
        read.ContinueWith(_ => timeout.Dispose(), TaskScheduler.Default);
        read.WaitAsync(_settings.ObserveTimeout)
            .ContinueWith(t => t.IsCompletedSuccessfully
                ? new ReadDone(height, t.Result)
                : (object)new ReadFailed(height, t.IsCanceled || t.Exception?.GetBaseException() is TimeoutException or OperationCanceledException
                    ? $"the price source did not answer within {_settings.ObserveTimeout.TotalMilliseconds:F0} ms"
                    : $"the price source failed: {t.Exception?.GetBaseException().Message}"),
                TaskScheduler.Default)
            .PipeTo(Self);
    }

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
        var observation = PriceObservation.Create(_validator.PublicKey, read.Height, _clock.GetUtcNow().ToUnixTimeMilliseconds(), read.Quotes);
        var check = observation.Validate();
        if (!check.IsValid)
        {
            Answer(read.Height, new ObservationUnavailable(read.Height, $"the price source gave an unusable reading: {check.Message}"));
            return;
        }
        var signed = observation.Sign(_chainId, _validator, KeyGenerator.AuxRandomness());
        if (_last is null || signed.Height >= _last.Height) _last = signed;
        Answer(read.Height, new ObservationReady(signed));
    }

    private void Answer(ulong height, object answer)
    {
        if (answer is ObservationUnavailable u) _log.Warning("no price observation for height {0}: {1}", height, u.Reason);
        if (!_waiting.Remove(height, out var waiting)) return;
        foreach (var w in waiting) w.Tell(answer);
    }
}
