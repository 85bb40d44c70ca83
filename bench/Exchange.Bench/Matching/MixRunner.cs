using Exchange.Core.Crypto;
using Exchange.Core.Markets.Book;

namespace Exchange.Bench.Matching;

/// <summary>
/// Runs the timed passes of one stream and checks each against the sanity pass of
/// <see cref="StreamAgreement"/>: the same number of events and the same final state hash, so a
/// pass that did different work cannot report a figure.
/// </summary>
internal sealed class MixRunner
{
    private readonly BookEvents _events = new();
    private readonly long[] _ticks;
    private readonly long _expectedEvents;
    private readonly Hash32 _expectedHash;

    public MixRunner(MatchingStream stream)
    {
        Stream = stream;
        _ticks = new long[stream.Measured.Length];
        (_expectedEvents, _expectedHash) = StreamAgreement.Check(stream);
    }

    public MatchingStream Stream { get; }
    public int Ops => Stream.Measured.Length;

    public PassResult Throughput(BookKind kind)
    {
        var book = Prepare(kind);
        var result = MatchingLoops.Throughput(book, Stream.Measured, _events);
        Check(kind, book, result);
        return result;
    }

    /// <summary>A latency pass: percentiles over all ops, and split by what each op did.</summary>
    public (LatencyPercentiles All, ClassLatency[] ByClass) Latency(long timerOverheadTicks)
    {
        var book = Prepare(BookKind.Fast);
        var result = MatchingLoops.Latency(book, Stream.Measured, _events, _ticks);
        Check(BookKind.Fast, book, result);
        var byClass = LatencyBreakdown.From(_ticks, Stream.Profile.Classes, timerOverheadTicks);
        return (LatencyPercentiles.From(_ticks, timerOverheadTicks), byClass);
    }

    /// <summary>A fresh book with the prefix replayed; the previous pass's garbage is collected first so no pass pays for another's.</summary>
    private IOrderBook Prepare(BookKind kind)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return MatchingLoops.Prepare(kind, Stream, _events);
    }

    private void Check(BookKind kind, IOrderBook book, PassResult result)
    {
        if (result.Events != _expectedEvents || book.StateHash() != _expectedHash)
            throw new InvalidOperationException($"{Stream.Name}: a timed pass through the {kind} book did different work from the sanity pass");
    }
}
