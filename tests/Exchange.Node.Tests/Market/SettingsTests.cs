using Akka.Configuration;
using Exchange.Node.Market;
using Exchange.Node.Oracle;

namespace Exchange.Node.Tests.Market;

public class SettingsTests
{
    [Fact]
    public void Read_side_settings_should_take_the_reference_defaults_and_overrides()
    {
        var defaults = ReadModelSettings.Default;
        Assert.Equal((100, 1000, 10, 1000, TimeSpan.FromHours(24), TimeSpan.FromMinutes(1)),
            (defaults.BookDepth, defaults.FullSnapshotInterval, defaults.RiskRefreshInterval, defaults.MaxLiquidationCandidates, defaults.TickerWindow, defaults.TickerBucket));
        var custom = ReadModelSettings.Create(ConfigurationFactory.ParseString("exchange.read-side { book-depth = 20, max-liquidation-candidates = 0 }"));
        Assert.Equal((20, 0, 10), (custom.BookDepth, custom.MaxLiquidationCandidates, custom.RiskRefreshInterval));
        var bad = Assert.Throws<ConfigurationException>(() => ReadModelSettings.Create(ConfigurationFactory.ParseString("exchange.read-side.ticker-bucket = 7m")));
        Assert.Contains("whole number of ticker-buckets", bad.Message);
        Assert.Throws<ConfigurationException>(() => ReadModelSettings.Create(ConfigurationFactory.ParseString("exchange.read-side.max-liquidation-candidates = 1001")));
    }

    [Fact]
    public void Oracle_settings_should_take_the_reference_defaults_and_refuse_an_unknown_source()
    {
        var defaults = OracleSettings.Default;
        Assert.Equal(("simulated", TimeSpan.FromMilliseconds(500), 1UL, 0.5, TimeSpan.FromSeconds(1), 2.0),
            (defaults.Source, defaults.ObserveTimeout, defaults.SimulatedSeed, defaults.SimulatedVolatility, defaults.SimulatedTick, defaults.SimulatedSpreadBps));
        var custom = OracleSettings.Create(ConfigurationFactory.ParseString("exchange.oracle.simulated { seed = 42, volatility = 0.8 }"));
        Assert.Equal((42UL, 0.8), (custom.SimulatedSeed, custom.SimulatedVolatility));
        var bad = Assert.Throws<ConfigurationException>(() => OracleSettings.Create(ConfigurationFactory.ParseString("exchange.oracle.source = deribit")));
        Assert.Contains("IPriceSource", bad.Message);
    }
}
