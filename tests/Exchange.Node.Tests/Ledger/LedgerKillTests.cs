using System.Diagnostics;
using Exchange.Node.Ledger;
using Xunit.Abstractions;

namespace Exchange.Node.Tests.Ledger;

/// <summary>No block the ledger acknowledged is lost when its process is killed with SIGKILL.</summary>
public sealed class LedgerKillTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(LedgerNode.QuietLogging)
{
    private const int Blocks = 150;
    private const int KillAfter = 20;

    [Fact]
    public async Task Every_block_acknowledged_before_kill_9_should_be_recovered()
    {
        await using var store = new SqliteLedgerStore();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["exec", typeof(LedgerWriterProcess).Assembly.Location, LedgerWriterProcess.Command, store.DataDir, $"{Blocks}"])
            start.ArgumentList.Add(a);
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the writer process");
        var stderr = child.StandardError.ReadToEndAsync();
        var acknowledged = 0UL;
        var lines = new List<string>();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (acknowledged < KillAfter && await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
                if (line.StartsWith("applied ", StringComparison.Ordinal)) acknowledged = ulong.Parse(line["applied ".Length..]);
            }
        }
        child.Kill(); // SIGKILL: no shutdown hook, no flush, no checkpoint.
        await child.WaitForExitAsync();
        // Lines the child wrote before it died are still in the pipe: each is an acknowledgement too.
        foreach (var line in (await child.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            lines.Add(line);
            if (line.StartsWith("applied ", StringComparison.Ordinal)) acknowledged = ulong.Parse(line["applied ".Length..]);
        }
        Assert.True(acknowledged >= KillAfter, $"the writer acknowledged only {acknowledged} blocks: {string.Join(" | ", lines)} {await stderr}");

        var chain = LedgerWriterProcess.Chain(Blocks);
        await using var node = LedgerNode.Start(this, store, chain);
        var status = node.Status();
        output.WriteLine($"killed after {acknowledged} acknowledged blocks; recovered height {status.Height}");
        Assert.True(status.Height >= acknowledged, $"acknowledged {acknowledged} blocks but recovered only {status.Height}");
        Assert.Equal(chain.AppHashAt(status.Height), status.AppHash);
        var served = (int)Math.Min(acknowledged, 100);
        Assert.Equal(chain.Blocks.Take(served), node.Ask<BlockRange>(new GetBlocks(1, served)).Blocks);
    }
}
