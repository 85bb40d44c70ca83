using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Exchange.Core.Crypto;
using Exchange.Node.Peers;

namespace Exchange.Node.Hosting;

/// <summary>
/// Runs one node until it is asked to stop, and keeps it in the cluster meanwhile. Each run of an actor system is an
/// incarnation. When an incarnation's actor system stops without being asked to (the split-brain resolver downed
/// it, the cluster removed it, or no seed node answered within
/// <c>akka.cluster.shutdown-after-unsuccessful-join-seed-nodes</c>), the host waits a backoff and starts a new one in
/// the same process, which joins again and catches up by block sync. Asked to stop, it leaves the cluster through
/// CoordinatedShutdown and returns.
/// <para>
/// Seed order decides who may start a new cluster alone: the first seed joins itself when no other seed answers. An
/// incarnation that follows one which had joined a cluster (Up, or a member beside others) leaves itself out of the
/// seed list, so a downed first seed joins the majority that downed it instead of founding a cluster of one beside it.
/// If that join fails too (the whole cluster is gone), the next incarnation uses the configured order again and the
/// first seed starts afresh; should it found a cluster apart all the same, <see cref="IslandWatchActor"/> moves it.
/// </para>
/// </summary>
public sealed class NodeHost(Config config, NodeSettings settings, KeyPair key, TextWriter output)
{
    private volatile ActorSystem? _current;

    /// <summary>The chain to run; null runs only cluster membership (handshakes, rejoin).</summary>
    public Core.State.Genesis? Genesis { get; init; }
    private int _incarnations;

    /// <summary>The running incarnation's actor system, or null between incarnations.</summary>
    public ActorSystem? Current => _current;

    /// <summary>How many actor systems this host has started.</summary>
    public int Incarnations => Volatile.Read(ref _incarnations);

    /// <summary>
    /// Runs until <paramref name="stop"/> is cancelled; 0 after a graceful leave, 1 when the cluster stopped the node and
    /// rejoin is off. An error starting the first incarnation (a port in use) is thrown; later ones are retried.
    /// </summary>
    public async Task<int> RunAsync(CancellationToken stop)
    {
        var backoff = settings.RejoinMinBackoff;
        var previousJoined = false;
        while (!stop.IsCancellationRequested)
        {
            var incarnation = Interlocked.Increment(ref _incarnations);
            ActorSystem system;
            var reachedUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                system = Start(incarnation, previousJoined, reachedUp);
            }
            catch (Exception e) when (incarnation > 1)
            {
                output.WriteLine($"node restart failed: {e.Message}; retrying in {backoff.TotalSeconds:0.###}s");
                if (!await Delay(backoff, stop)) return Stopped();
                backoff = Next(backoff);
                continue;
            }
            _current = system;

            var stopped = Task.Delay(Timeout.Infinite, stop);
            await Task.WhenAny(system.WhenTerminated, stopped);
            if (stop.IsCancellationRequested)
            {
                output.WriteLine("node leaving the cluster");
                await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
                await system.WhenTerminated;
                _current = null;
                return Stopped();
            }

            _current = null;
            // Joined: Up, or at least seen by a cluster with other members in it before it was downed.
            var cluster = Akka.Cluster.Cluster.Get(system);
            previousJoined = reachedUp.Task.IsCompleted || cluster.State.Members.Any(m => m.UniqueAddress != cluster.SelfUniqueAddress);
            var reason = CoordinatedShutdown.Get(system).ShutdownReason?.GetType().Name ?? "unknown reason";
            if (!settings.RejoinEnabled)
            {
                output.WriteLine($"node stopped by the cluster ({reason}); rejoin is off");
                return 1;
            }
            backoff = previousJoined ? settings.RejoinMinBackoff : backoff;
            output.WriteLine($"node left the cluster ({reason}); rejoining in {backoff.TotalSeconds:0.###}s");
            if (!await Delay(backoff, stop)) return Stopped();
            backoff = Next(backoff);
        }
        return Stopped();
    }

    private int Stopped()
    {
        output.WriteLine("node stopped");
        return 0;
    }

    private ActorSystem Start(int incarnation, bool previousJoined, TaskCompletionSource reachedUp)
    {
        PortGuard.EnsureFree(config);
        // The host joins explicitly, so that it can choose the seed order per incarnation.
        var system = ActorSystem.Create(settings.SystemName, ConfigurationFactory.ParseString("akka.cluster.seed-nodes = []").WithFallback(config));
        var cluster = Akka.Cluster.Cluster.Get(system);
        system.ActorOf(PeerEventPrinterActor.Props(output), "peer-printer");
        system.ActorOf(PeerDirectoryActor.Props(settings, key), PeerDirectoryActor.Name);
        system.ActorOf(IslandWatchActor.Props(settings, output), IslandWatchActor.Name);
        if (Genesis is not null)
        {
            system.ActorOf(BlockPrinterActor.Props(output), "block-printer");
            NodeServices.Start(system, config, settings, key, Genesis);
        }
        cluster.RegisterOnMemberUp(() =>
        {
            reachedUp.TrySetResult();
            output.WriteLine($"node up {key.PublicKey} {cluster.SelfAddress} roles={string.Join(",", cluster.SelfRoles.Order(StringComparer.Ordinal))} incarnation={incarnation}");
        });
        var seeds = SeedsFor(cluster.SelfAddress, previousJoined);
        output.WriteLine($"node starting {key.PublicKey} {cluster.SelfAddress} role={settings.Role} incarnation={incarnation} seeds={string.Join(",", seeds)}");
        cluster.JoinSeedNodes(seeds);
        return system;
    }

    /// <summary>The seeds an incarnation joins through; see the class remarks for why the order changes.</summary>
    internal IReadOnlyList<Address> SeedsFor(Address self, bool previousJoined)
    {
        if (settings.SeedNodes.Count == 0) return [self];
        if (!previousJoined) return settings.SeedNodes;
        var others = settings.SeedNodes.Where(s => s != self).ToArray();
        return others.Length == 0 ? settings.SeedNodes : others;
    }

    private TimeSpan Next(TimeSpan backoff) => TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, settings.RejoinMaxBackoff.Ticks));

    private static async Task<bool> Delay(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
