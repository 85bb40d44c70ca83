namespace Exchange.Simulation;

/// <summary>Which machine can reach which at a virtual time, given the scenario's partition episodes. Links are symmetric.</summary>
internal static class Links
{
    public static bool CanReach(Scenario s, int from, int to, long now)
    {
        foreach (var p in s.Partitions)
            if (p.FromMs <= now && now < p.UntilMs && !Connected(p, s.Machines, from, to)) return false;
        return true;
    }

    public static int RingReach(int machines) => Math.Max(1, machines / 3);

    private static bool Connected(PartitionEpisode p, int machines, int a, int b) => p.Kind switch
    {
        PartitionKind.RandomHalves or PartitionKind.IsolateOne => p.Groups[a] == p.Groups[b],
        PartitionKind.Ring => RingDistance(machines, a, b) <= RingReach(machines),
        _ => throw new ArgumentOutOfRangeException(nameof(p), p.Kind, "unknown partition kind"),
    };

    private static int RingDistance(int n, int a, int b)
    {
        var d = Math.Abs(a - b);
        return Math.Min(d, n - d);
    }
}
