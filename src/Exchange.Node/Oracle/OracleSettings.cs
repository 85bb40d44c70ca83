using Akka.Configuration;
using Exchange.Core.State;

namespace Exchange.Node.Oracle;

/// <summary>The oracle actor's settings: <c>exchange.oracle</c> (see the embedded <c>oracle.conf</c>).</summary>
public sealed record OracleSettings(string Source, TimeSpan ObserveTimeout, ulong SimulatedSeed, double SimulatedVolatility, TimeSpan SimulatedTick, double SimulatedSpreadBps)
{
    public const string SimulatedSource = "simulated";

    public static Config DefaultConfig { get; } = ConfigurationFactory.ParseString(EmbeddedConfig.Read("Exchange.Node.Oracle.oracle.conf"));

    public static OracleSettings Default { get; } = Create(ConfigurationFactory.Empty);

    public static OracleSettings Create(Config config)
    {
        var c = config.WithFallback(DefaultConfig).GetConfig("exchange.oracle");
        var settings = new OracleSettings(
            c.GetString("source"),
            c.GetTimeSpan("observe-timeout"),
            (ulong)c.GetLong("simulated.seed"),
            c.GetDouble("simulated.volatility"),
            c.GetTimeSpan("simulated.tick"),
            c.GetDouble("simulated.spread-bps"));
        return settings.Check() is { } error ? throw new ConfigurationException($"exchange.oracle: {error}") : settings;
    }

    /// <summary>Null when usable, else the first problem.</summary>
    public string? Check()
    {
        if (Source != SimulatedSource) return $"source '{Source}' is not built in (only '{SimulatedSource}'); pass another IPriceSource to OracleActor.Props";
        if (ObserveTimeout <= TimeSpan.Zero) return "observe-timeout must be positive";
        return null;
    }

    /// <summary>The simulated feed for this chain: every genesis index, starting at its genesis price.</summary>
    public SimulatedFeedSettings SimulatedFeed(Genesis genesis) =>
        SimulatedFeedSettings.FromGenesis(genesis, SimulatedSeed, SimulatedVolatility, SimulatedTick, SimulatedSpreadBps);
}
