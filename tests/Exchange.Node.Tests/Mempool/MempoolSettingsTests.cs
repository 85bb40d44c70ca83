using Akka.Configuration;
using Exchange.Node.Mempool;

namespace Exchange.Node.Tests.Mempool;

public sealed class MempoolSettingsTests
{
    [Fact]
    public void Defaults_should_be_the_documented_values()
    {
        var s = MempoolSettings.Default;

        Assert.Equal(new MempoolLimits(50_000, 32L * 1024 * 1024, 1_000), s.Limits);
        Assert.Equal(MempoolLimits.Default, s.Limits);
        Assert.Equal((512, 8_192, TimeSpan.Zero, 64 * 1024), (s.VerifyBatchSize, s.MaxVerifying, s.BatchWindow, s.MaxGossipBytes));
    }

    [Fact]
    public void Keys_set_in_the_node_config_should_override_the_defaults_and_the_rest_should_stay()
    {
        var config = ConfigurationFactory.ParseString("""
            exchange.mempool {
              max-transactions = 10
              max-bytes = 1 MiB
              batch-window = 5ms
            }
            """);

        var s = MempoolSettings.Create(config);

        Assert.Equal(new MempoolLimits(10, 1024 * 1024, 1_000), s.Limits);
        Assert.Equal(TimeSpan.FromMilliseconds(5), s.BatchWindow);
        Assert.Equal(512, s.VerifyBatchSize);
    }

    [Theory]
    [InlineData("max-transactions = 0", "max-transactions")]
    [InlineData("max-per-sender = 0", "max-per-sender")]
    [InlineData("verify-batch-size = 0", "verify-batch-size")]
    [InlineData("verify-batch-size = 100\nmax-verifying = 99", "max-verifying")]
    [InlineData("batch-window = -1s", "batch-window")]
    [InlineData("max-gossip-bytes = 100", "max-gossip-bytes")]
    [InlineData("max-transactions = lots", "max-transactions")]
    [InlineData("max-bytes = big", "max-bytes")]
    public void An_unusable_value_should_be_refused_naming_its_key(string hocon, string key)
    {
        var config = ConfigurationFactory.ParseString("exchange.mempool {\n" + hocon + "\n}");

        var e = Assert.Throws<ConfigurationException>(() => MempoolSettings.Create(config));

        Assert.Contains(key, e.Message);
    }
}
