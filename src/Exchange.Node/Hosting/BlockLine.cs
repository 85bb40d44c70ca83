using System.Globalization;

namespace Exchange.Node.Hosting;

/// <summary>
/// The line a node prints for each block it applied, read by operators, the devnet's table, tests and the load bench:
/// <c>block HEIGHT round=R txs=N time=MS app=APPHASH hash=BLOCKHASH at=MICROS</c>. <c>time</c> is the block header's
/// time (the proposer's clock, Unix milliseconds); <c>at</c> is when this node printed the line (its own clock, Unix
/// microseconds), which is when the block became durable in its journal: the commit as this node saw it.
/// </summary>
public sealed record BlockLine(ulong Height, uint Round, int Transactions, long TimeUnixMs, string AppHash, string BlockHash, long? PrintedUnixMicros)
{
    private const string Prefix = "block ";

    public string Format() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}{Height} round={Round} txs={Transactions} time={TimeUnixMs} app={AppHash} hash={BlockHash}{(PrintedUnixMicros is { } at ? $" at={at}" : "")}");

    /// <summary>Whether <paramref name="line"/> is a block line at all (it may still be malformed).</summary>
    public static bool Starts(string line) => line.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The line's fields, or null when it is not a well-formed block line. <c>at</c> is optional: nodes before it existed did not print it.</summary>
    public static BlockLine? TryParse(string line)
    {
        if (!Starts(line)) return null;
        var parts = line.Split(' ');
        if (parts.Length < 7 || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height)) return null;
        string? Field(string name) => parts.Skip(2).FirstOrDefault(p => p.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];
        if (!uint.TryParse(Field("round"), NumberStyles.None, CultureInfo.InvariantCulture, out var round)
            || !int.TryParse(Field("txs"), NumberStyles.None, CultureInfo.InvariantCulture, out var txs)
            || !long.TryParse(Field("time"), NumberStyles.None, CultureInfo.InvariantCulture, out var time)
            || Field("app") is not { Length: > 0 } app
            || Field("hash") is not { Length: > 0 } hash)
            return null;
        long? at = Field("at") is { } a && long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var micros) ? micros : null;
        return new BlockLine(height, round, txs, time, app, hash, at);
    }

    /// <summary>Unix microseconds of <paramref name="time"/>.</summary>
    public static long UnixMicros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
}
