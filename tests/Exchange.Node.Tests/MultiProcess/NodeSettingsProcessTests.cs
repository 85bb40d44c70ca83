using Exchange.Node.Devnet;
using Exchange.Node.Hosting;
using Exchange.Node.Tests.Hosting;

namespace Exchange.Node.Tests.MultiProcess;

/// <summary>The node command reads the exchange's settings before it starts anything, and refuses bad ones by name.</summary>
public sealed class NodeSettingsProcessTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "exchange-settings-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("exchange.application.max-block-transactions = 0", "error: exchange.application: max-block-transactions must be 1 to 10000")]
    [InlineData("exchange.application.max-block-bytes = lots", "error: exchange.application.max-block-bytes: 'lots' is not a usable value")]
    [InlineData("exchange.mempool.max-transactions = 0", "error: exchange.mempool: max-transactions must be at least 1")]
    [InlineData("exchange.ledger.snapshot-interval = 0", "error: exchange.ledger: snapshot-interval must be at least 1")]
    public async Task A_node_given_a_bad_setting_should_refuse_to_start_naming_the_key(string setting, string expected)
    {
        var layout = DevnetLayout.OpenOrCreate(Path.Combine(_root, "devnet"), validators: 1, fullNodes: 0, DateTimeOffset.UtcNow);
        var bad = Path.Combine(_root, "bad.conf");
        File.WriteAllText(bad, setting);
        var port = TestNode.FreePort();
        using var node = new NodeProcess(_root, port, $"127.0.0.1:{port}", Path.Combine(AppContext.BaseDirectory, "hocon", "validator.conf"), bad)
        {
            Environment = new Dictionary<string, string> { [EnvironmentOverrides.GenesisFile] = layout.GenesisPath },
        };
        node.Start();

        Assert.Equal(1, await node.ExitedAsync());
        Assert.Contains("stderr: " + expected, node.Output);
        Assert.DoesNotContain("Remoting started", node.Output);
        Assert.False(Directory.Exists(Path.Combine(_root, port.ToString(), "data", "validator")), "nothing of the validator may be created");
    }
}
