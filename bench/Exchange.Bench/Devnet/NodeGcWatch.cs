using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace Exchange.Bench.Devnet;

/// <summary>
/// The garbage collector's work in the node processes while the devnet runs: collections by generation, the time the
/// runtime held every thread for them, and what was allocated. Read from each process's diagnostics port over EventPipe,
/// as dotnet-trace reads it, so the nodes run unchanged. Events carry their own time, so a phase counts exactly the
/// collections that happened inside it, however late the stream delivers them.
/// </summary>
internal sealed class NodeGcWatch : IDisposable
{
    private readonly record struct GcEvent(DateTime At, int Generation, long AllocatedBytes, double PausedMs, double SuspendingMs = 0);

    private readonly List<(EventPipeSession Session, Task Reader)> _readers = [];
    private readonly ConcurrentQueue<GcEvent> _events = new();

    private NodeGcWatch() { }

    public ConcurrentDictionary<string, long> ByType { get; } = new();

    /// <summary>Starts reading every process in <paramref name="processIds"/>; one that cannot be read is reported and left out.</summary>
    public static NodeGcWatch Start(IEnumerable<int> processIds)
    {
        var watch = new NodeGcWatch();
        // Verbose brings the allocation ticks (one per ~100 KB a thread allocates) besides collections and suspensions.
        var providers = new[] { new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GC) };
        foreach (var pid in processIds)
        {
            try
            {
                var session = new DiagnosticsClient(pid).StartEventPipeSession(providers, requestRundown: false);
                var source = new EventPipeEventSource(session.EventStream);
                DateTime? suspendedAt = null;
                source.Clr.GCStart += e => watch._events.Enqueue(new(e.TimeStamp, e.Depth, 0, 0));
                source.Clr.GCAllocationTick += e =>
                {
                    watch._events.Enqueue(new(e.TimeStamp, -1, e.AllocationAmount64, 0));
                    watch.ByType.AddOrUpdate(e.TypeName ?? "?", e.AllocationAmount64, (_, v) => v + e.AllocationAmount64);
                };
                source.Clr.GCSuspendEEStart += e => suspendedAt = e.TimeStamp;
                // Suspending is the pause's first part: the runtime waiting for every managed thread to stop where it
                // can, which on a shared core includes waiting for the core itself.
                source.Clr.GCSuspendEEStop += e =>
                {
                    if (suspendedAt is { } at) watch._events.Enqueue(new(e.TimeStamp, -1, 0, 0, (e.TimeStamp - at).TotalMilliseconds));
                };
                source.Clr.GCRestartEEStop += e =>
                {
                    if (suspendedAt is { } at) watch._events.Enqueue(new(e.TimeStamp, -1, 0, (e.TimeStamp - at).TotalMilliseconds));
                    suspendedAt = null;
                };
                watch._readers.Add((session, Task.Run(() => source.Process())));
            }
            catch (Exception e) when (e is ServerNotAvailableException or UnsupportedCommandException or TimeoutException or IOException)
            {
                Console.Error.WriteLine($"GC events of process {pid} cannot be read ({e.Message}); its collections are not counted");
            }
        }
        return watch;
    }

    /// <summary>What the collector did in every watched process between the two times (local clock, as the events carry it).</summary>
    public GcFigures Between(DateTime from, DateTime to)
    {
        int gen0 = 0, gen1 = 0, gen2 = 0;
        long allocated = 0;
        double paused = 0, suspending = 0;
        foreach (var e in _events)
        {
            if (e.At < from || e.At > to) continue;
            switch (e.Generation)
            {
                case 0: gen0++; break;
                case 1: gen1++; break;
                case 2: gen2++; break;
            }
            allocated += e.AllocatedBytes;
            paused += e.PausedMs;
            suspending += e.SuspendingMs;
        }
        return new GcFigures(gen0, gen1, gen2, allocated, paused, suspending);
    }

    public void Dispose()
    {
        foreach (var (session, _) in _readers)
        {
            try
            {
                session.Stop();
            }
            catch (Exception e) when (e is ServerNotAvailableException or IOException or TimeoutException)
            {
                // The node has already stopped; its stream ended with it.
            }
        }
        Task.WaitAll([.. _readers.Select(r => r.Reader)], TimeSpan.FromSeconds(5));
        foreach (var (session, _) in _readers) session.Dispose();
    }
}

/// <param name="AllocatedBytes">Sampled by the runtime's allocation ticks: accurate to about 100 KB per thread.</param>
/// <param name="PausedMs">Summed over the processes: how long each had every managed thread stopped for a collection.</param>
/// <param name="SuspendingMs">The part of <paramref name="PausedMs"/> spent stopping the threads, before collecting.</param>
internal sealed record GcFigures(int Gen0, int Gen1, int Gen2, long AllocatedBytes, double PausedMs, double SuspendingMs);
