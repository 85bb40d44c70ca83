namespace Exchange.Bench;

/// <summary>
/// How many cores other processes kept busy while a measurement ran, read from Linux's
/// /proc/stat and /proc/self/stat. On a shared machine this tells a clean round from one that
/// lost cores to someone else's build, so disturbed rounds can be measured again.
/// </summary>
internal readonly record struct MachineLoad(long BusyTicks, long TotalTicks, long OwnTicks)
{
    /// <summary>A reading now, or null where /proc is not there to read (the caller then trusts every round).</summary>
    public static MachineLoad? Read()
    {
        try
        {
            // First line of /proc/stat: "cpu  user nice system idle iowait irq softirq steal ..." over all cores.
            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ticks = cpu.Skip(1).Take(8).Select(long.Parse).ToArray();
            var idle = ticks[3] + ticks[4];
            // /proc/self/stat after the ")" that closes the command name: utime, stime, cutime, cstime are the
            // 12th to 15th fields; cutime and cstime count children already waited for, like the C loop.
            var self = File.ReadAllText("/proc/self/stat");
            var fields = self[(self.LastIndexOf(')') + 2)..].Split(' ');
            var own = long.Parse(fields[11]) + long.Parse(fields[12]) + long.Parse(fields[13]) + long.Parse(fields[14]);
            return new MachineLoad(ticks.Sum() - idle, ticks.Sum(), own);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Cores that processes other than this one (and its children) kept busy, on average, since <paramref name="earlier"/>.</summary>
    public double OtherCoresSince(MachineLoad earlier)
    {
        var total = TotalTicks - earlier.TotalTicks;
        if (total <= 0) return 0;
        var others = BusyTicks - earlier.BusyTicks - (OwnTicks - earlier.OwnTicks);
        return Math.Max(0, (double)others / total * Environment.ProcessorCount);
    }
}
