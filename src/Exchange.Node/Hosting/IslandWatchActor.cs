using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace Exchange.Node.Hosting;

/// <summary>
/// Heals a split into two clusters. Akka clusters never merge: when a first seed founds a cluster of its own while the
/// others are unreachable (a partition, or every seed restarting at once), the two stay apart after the network
/// heals. Every <c>rejoin.island-check-interval</c>, a node whose cluster lacks one of its configured seeds asks that
/// seed about its cluster; if the seed's cluster is larger (<see cref="IslandInfo"/>'s order), this node leaves its
/// own, and the node host's next incarnation joins through the other seeds, into the larger cluster. Each member of
/// the smaller island does the same. Runs at <c>/user/island-watch</c> on every node, which also answers probes.
/// </summary>
public sealed class IslandWatchActor : ReceiveActor, IWithTimers
{
    public const string Name = "island-watch";

    private sealed record Check
    {
        public static readonly Check Instance = new();
    }

    private readonly NodeSettings _settings;
    private readonly TextWriter _output;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _leaving;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(NodeSettings settings, TextWriter output) =>
        Akka.Actor.Props.Create(() => new IslandWatchActor(settings, output)).WithDeploy(Deploy.Local);

    public IslandWatchActor(NodeSettings settings, TextWriter output)
    {
        _settings = settings;
        _output = output;
        Receive<Check>(_ => ProbeMissingSeeds());
        Receive<IslandProbe>(p =>
        {
            if (p.ChainId == _settings.ChainId && _cluster.SelfMember.Status == MemberStatus.Up) Sender.Tell(Ours());
        });
        Receive<IslandInfo>(OnInfo);
    }

    protected override void PreStart() => Timers.StartPeriodicTimer(nameof(Check), Check.Instance, _settings.IslandCheckInterval);

    private IslandInfo Ours()
    {
        var up = _cluster.State.Members.Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp).ToArray();
        return new IslandInfo(_settings.ChainId, up.Count(m => m.HasRole(NodeSettings.ValidatorRole)), up.Length,
            up.Select(m => m.Address.ToString()).DefaultIfEmpty(_cluster.SelfAddress.ToString()).Min(StringComparer.Ordinal)!);
    }

    private void ProbeMissingSeeds()
    {
        if (_leaving || _cluster.SelfMember.Status != MemberStatus.Up) return;
        var members = _cluster.State.Members.Select(m => m.Address).ToHashSet();
        foreach (var seed in _settings.SeedNodes.Where(s => !members.Contains(s)))
            Context.ActorSelection(new RootActorPath(seed) / "user" / Name).Tell(new IslandProbe(_settings.ChainId));
    }

    private void OnInfo(IslandInfo theirs)
    {
        var from = Sender.Path.Address;
        if (_leaving || theirs.ChainId != _settings.ChainId || _cluster.State.Members.Any(m => m.Address == from)) return;
        var ours = Ours();
        if (theirs.CompareTo(ours) <= 0) return;
        _leaving = true;
        _log.Warning("seed {0} is in a larger cluster ({1} validators, {2} members) than ours ({3}, {4}); leaving ours to join it",
            from, theirs.Validators, theirs.Members, ours.Validators, ours.Members);
        _output.WriteLine($"node found a larger cluster at {from}; leaving to join it");
        _cluster.Leave(_cluster.SelfAddress);
    }
}
