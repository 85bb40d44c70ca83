using Akka.Actor;
using Akka.Configuration;
using Exchange.Core.Crypto;
using Exchange.Node.Application;

namespace Exchange.Node.Tests.Application;

public class ApplicationSettingsTests
{
    private static ApplicationSettings Read(string hocon) =>
        ApplicationSettings.Create(ConfigurationFactory.ParseString(hocon), "chain", ActorRefs.Nobody, ActorRefs.Nobody, ActorRefs.Nobody, default(PublicKey));

    [Fact]
    public void Defaults_should_be_the_block_rules_the_devnet_was_measured_with()
    {
        var defaults = Read("");
        Assert.Equal((2_000, 4L << 20, 16, 5_000L, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2)),
            (defaults.MaxTransactionsPerBlock, defaults.MaxBlockBytes, defaults.MaxLiquidationCandidates, defaults.MaxClockDriftMs,
                defaults.MinBlockInterval, defaults.AskTimeout));
        Assert.Equal("chain", defaults.ChainId);
    }

    [Fact]
    public void Keys_set_in_the_nodes_config_should_override_the_defaults()
    {
        var custom = Read("""
            exchange.application {
              max-block-transactions = 5000
              max-block-bytes = 8 MiB
              max-liquidations-per-block = 0
              empty-block-interval = 1s
              max-clock-drift = 250ms
              ask-timeout = 500ms
            }
            """);
        Assert.Equal((5_000, 8L << 20, 0, 250L, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500)),
            (custom.MaxTransactionsPerBlock, custom.MaxBlockBytes, custom.MaxLiquidationCandidates, custom.MaxClockDriftMs,
                custom.MinBlockInterval, custom.AskTimeout));
        Assert.Equal(TimeSpan.Zero, Read("exchange.application.empty-block-interval = 0s").MinBlockInterval);
    }

    [Theory]
    [InlineData("max-block-transactions = 0", "max-block-transactions must be 1 to 10000")]
    [InlineData("max-block-transactions = 10001", "max-block-transactions must be 1 to 10000")]
    [InlineData("max-block-bytes = 512b", "max-block-bytes must be 1024 to")]
    [InlineData("max-block-bytes = 16 MiB", "max-block-bytes must be 1024 to")]
    [InlineData("max-liquidations-per-block = -1", "max-liquidations-per-block must be 0 to 1000")]
    [InlineData("empty-block-interval = -5ms", "exchange.application.empty-block-interval")]
    [InlineData("max-clock-drift = 0s", "max-clock-drift must be at least 1ms")]
    [InlineData("ask-timeout = 0s", "ask-timeout must be positive")]
    [InlineData("max-block-bytes = lots", "exchange.application.max-block-bytes: 'lots' is not a usable value")]
    [InlineData("max-block-transactions = many", "exchange.application.max-block-transactions: 'many' is not a usable value")]
    public void A_value_out_of_range_or_malformed_should_be_refused_naming_its_key(string setting, string expected)
    {
        var refused = Assert.Throws<ConfigurationException>(() => Read($"exchange.application.{setting}"));
        Assert.Contains(expected, refused.Message);
    }
}
