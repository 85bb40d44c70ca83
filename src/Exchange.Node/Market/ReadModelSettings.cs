using Akka.Configuration;
using Exchange.Core.Ledger;

namespace Exchange.Node.Market;

/// <summary>The read side's settings: <c>exchange.read-side</c> (see the embedded <c>read-side.conf</c>).</summary>
public sealed record ReadModelSettings(
    int BookDepth,
    int FullSnapshotInterval,
    int RiskRefreshInterval,
    int MaxLiquidationCandidates,
    TimeSpan TickerWindow,
    TimeSpan TickerBucket)
{
    /// <summary>The read side's reference configuration, for an actor system that runs it to fall back on.</summary>
    public static Config DefaultConfig { get; } = ConfigurationFactory.ParseString(EmbeddedConfig.Read("Exchange.Node.Market.read-side.conf"));

    public static ReadModelSettings Default { get; } = Create(ConfigurationFactory.Empty);

    public static ReadModelSettings Create(Config config)
    {
        var c = config.WithFallback(DefaultConfig).GetConfig("exchange.read-side");
        var settings = new ReadModelSettings(
            c.GetInt("book-depth"),
            c.GetInt("full-snapshot-interval"),
            c.GetInt("risk-refresh-interval"),
            c.GetInt("max-liquidation-candidates"),
            c.GetTimeSpan("ticker-window"),
            c.GetTimeSpan("ticker-bucket"));
        return settings.Check() is { } error ? throw new ConfigurationException($"exchange.read-side: {error}") : settings;
    }

    /// <summary>Null when usable, else the first problem.</summary>
    public string? Check()
    {
        if (BookDepth is < 1 or > 10_000) return "book-depth must be 1 to 10000";
        if (FullSnapshotInterval < 1) return "full-snapshot-interval must be at least 1";
        if (RiskRefreshInterval < 1) return "risk-refresh-interval must be at least 1";
        if (MaxLiquidationCandidates is < 0 or > Block.MaxLiquidations) return $"max-liquidation-candidates must be 0 to {Block.MaxLiquidations}";
        if (TickerBucket < TimeSpan.FromSeconds(1)) return "ticker-bucket must be at least 1s";
        if (TickerWindow < TickerBucket) return "ticker-window must be at least one ticker-bucket";
        if (TickerWindow.Ticks % TickerBucket.Ticks != 0) return "ticker-window must be a whole number of ticker-buckets";
        return null;
    }
}
