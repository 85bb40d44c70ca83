namespace Exchange.Simulation;

/// <summary>
/// Turns a fault mix and a seed into a concrete <see cref="Scenario"/>. Stakes are unequal (10 to 40 each);
/// Byzantine machines are picked at random among sets holding less than a third of the stake; all partitions
/// and crashes fall in the first <see cref="FaultWindowMs"/> and are over by the heal time.
/// </summary>
public static class Scenarios
{
    public const long FaultWindowMs = 3_000;
    public const long LivenessBoundMs = 30_000;
    public const long BlockIntervalMs = 100;
    public const long GossipIntervalMs = 500;

    public static readonly FaultMix[] AllMixes = Enum.GetValues<FaultMix>();

    public static Scenario Create(FaultMix mix, ulong seed, int validators = 4, ulong heights = 4)
    {
        if (validators < 4) throw new ArgumentOutOfRangeException(nameof(validators), validators, "at least 4 validators tolerate one fault");
        var rng = new SplitMix64(seed);
        var stakes = Enumerable.Range(0, validators).Select(_ => rng.Between(10, 40)).ToArray();
        var behaviours = new Behaviour[validators];
        foreach (var b in Byzantine(mix, rng))
            foreach (var i in PickByzantine(stakes, rng)) behaviours[i] = b;
        var network = mix is FaultMix.LossyNetwork or FaultMix.Everything ? NetworkProfile.Lossy : NetworkProfile.Calm;
        var partitions = mix is FaultMix.Partitions or FaultMix.Everything ? MakePartitions(validators, rng) : [];
        var honest = Enumerable.Range(0, validators).Where(i => behaviours[i] == Behaviour.None).ToArray();
        var crashes = mix is FaultMix.Crashes or FaultMix.Everything ? MakeCrashes(honest, rng) : [];
        var heal = partitions.Select(p => p.UntilMs).Concat(crashes.Select(c => c.RestartMs)).DefaultIfEmpty(0).Max();
        return new Scenario(seed, mix, stakes, [.. Enumerable.Range(0, validators)], behaviours, network, partitions, crashes, heights, heal,
            LivenessBoundMs, BlockIntervalMs, GossipIntervalMs);
    }

    /// <summary>Zero delay and no faults: the protocol's own cost, for the benchmark.</summary>
    public static Scenario ZeroDelay(int validators, ulong heights) =>
        new(1, FaultMix.Clean, [.. Enumerable.Repeat(10L, validators)], [.. Enumerable.Range(0, validators)], new Behaviour[validators], NetworkProfile.Zero,
            [], [], heights, 0, LivenessBoundMs, 0, GossipIntervalMs);

    /// <summary>
    /// The negative control: validator 0 holds 34 of 100 stake (≥ 1/3) and its key runs on two machines (0 and 3),
    /// each with its own sign-state store. A partition {0, 1} | {2, 3} lasts until 8 s; each side holds 67 of 100,
    /// more than two thirds, so each side commits height 1 on its own and the two honest validators (1 and 2)
    /// commit different blocks. The checker must report an agreement violation.
    /// </summary>
    public static Scenario NegativeControl(ulong seed)
    {
        var partition = new PartitionEpisode(PartitionKind.RandomHalves, 0, 8_000, [0, 0, 1, 1]);
        return new Scenario(seed, FaultMix.Partitions, [34, 33, 33], [0, 1, 2, 0], new Behaviour[4], NetworkProfile.Calm, [partition], [], 2, 8_000,
            LivenessBoundMs, BlockIntervalMs, GossipIntervalMs, NegativeControl: true);
    }

    private static Behaviour[] Byzantine(FaultMix mix, SplitMix64 rng) => mix switch
    {
        FaultMix.Equivocation => [Behaviour.EquivocateProposals],
        FaultMix.DoubleVotes => [Behaviour.DoubleVote],
        FaultMix.Silence => [Behaviour.Silent],
        FaultMix.InvalidBlocks => [Behaviour.InvalidBlocks],
        FaultMix.Garbage => [Behaviour.Garbage],
        FaultMix.Everything => [(Behaviour)(1 + rng.Next(5))],
        FaultMix.Clean or FaultMix.LossyNetwork or FaultMix.Partitions or FaultMix.Crashes => [],
        _ => throw new ArgumentOutOfRangeException(nameof(mix), mix, "unknown fault mix"),
    };

    /// <summary>Random machines, added while their stake together stays below a third of the total (at least the one with least stake).</summary>
    private static List<int> PickByzantine(long[] stakes, SplitMix64 rng)
    {
        var total = stakes.Sum();
        var order = Enumerable.Range(0, stakes.Length).ToArray();
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var picked = new List<int>();
        long power = 0;
        foreach (var i in order)
            if ((power + stakes[i]) * 3 < total)
            {
                picked.Add(i);
                power += stakes[i];
                if (picked.Count >= 1 + rng.Next((stakes.Length - 1) / 3)) break;
            }
        return picked;
    }

    private static PartitionEpisode[] MakePartitions(int n, SplitMix64 rng)
    {
        var episodes = new PartitionEpisode[1 + rng.Next(3)];
        for (var e = 0; e < episodes.Length; e++)
        {
            var kind = (PartitionKind)rng.Next(3);
            var from = rng.Between(0, FaultWindowMs - 1_000);
            var until = from + rng.Between(200, 1_000);
            var groups = new int[n];
            switch (kind)
            {
                case PartitionKind.RandomHalves:
                    for (var i = 0; i < n; i++) groups[i] = rng.Next(2);
                    break;
                case PartitionKind.IsolateOne:
                    groups[rng.Next(n)] = 1;
                    break;
                case PartitionKind.Ring:
                    break;
                default: throw new ArgumentOutOfRangeException(nameof(n), kind, "unknown partition kind");
            }
            episodes[e] = new PartitionEpisode(kind, from, until, groups);
        }
        return episodes;
    }

    private static CrashEpisode[] MakeCrashes(int[] honest, SplitMix64 rng)
    {
        var crashes = new CrashEpisode[1 + rng.Next(2)];
        for (var c = 0; c < crashes.Length; c++)
        {
            var at = rng.Between(0, FaultWindowMs - 1_500);
            crashes[c] = new CrashEpisode(honest[rng.Next(honest.Length)], at, at + rng.Between(100, 1_500));
        }
        return crashes;
    }
}
