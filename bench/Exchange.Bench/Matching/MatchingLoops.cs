using System.Diagnostics;
using Exchange.Core.Markets.Book;

namespace Exchange.Bench.Matching;

/// <summary>What one timed pass over a stream saw; <see cref="Events"/> and the book's hash are checked against <see cref="StreamAgreement"/>.</summary>
internal readonly record struct PassResult(double Seconds, long Events, long Gen0Collections, long AllocatedBytes);

/// <summary>
/// The timed loops. Every pass starts from a fresh book into which the stream's prefix is replayed
/// untimed, so each pass does exactly the same work; one op is one book call with the event buffer
/// cleared first, as the state machine makes it.
/// </summary>
internal static class MatchingLoops
{
    public static IOrderBook Prepare(BookKind kind, MatchingStream stream, BookEvents events)
    {
        var book = kind.Create();
        foreach (var op in stream.Prefix)
        {
            events.Clear();
            op.Apply(book, events);
        }
        return book;
    }

    /// <summary>The measured ops back to back under one timer, with the collections and bytes allocated meanwhile.</summary>
    public static PassResult Throughput(IOrderBook book, BookOp[] ops, BookEvents events)
    {
        long produced = 0;
        var collections = GC.CollectionCount(0);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < ops.Length; i++)
        {
            events.Clear();
            ops[i].Apply(book, events);
            produced += events.Count;
        }
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new PassResult(seconds, produced, GC.CollectionCount(0) - collections, GC.GetAllocatedBytesForCurrentThread() - allocated);
    }

    /// <summary>Times every op on its own into <paramref name="ticks"/> (Stopwatch ticks, timer cost included).</summary>
    public static PassResult Latency(IOrderBook book, BookOp[] ops, BookEvents events, long[] ticks)
    {
        long produced = 0;
        var collections = GC.CollectionCount(0);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < ops.Length; i++)
        {
            events.Clear();
            var before = Stopwatch.GetTimestamp();
            ops[i].Apply(book, events);
            ticks[i] = Stopwatch.GetTimestamp() - before;
            produced += events.Count;
        }
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new PassResult(seconds, produced, GC.CollectionCount(0) - collections, GC.GetAllocatedBytesForCurrentThread() - allocated);
    }

    /// <summary>The median cost of an empty pair of timestamps, in Stopwatch ticks: what <see cref="Latency"/> adds to every op.</summary>
    public static long TimerOverhead(long[] scratch)
    {
        for (var i = 0; i < scratch.Length; i++)
        {
            var before = Stopwatch.GetTimestamp();
            scratch[i] = Stopwatch.GetTimestamp() - before;
        }
        Array.Sort(scratch);
        return scratch[scratch.Length / 2];
    }
}
