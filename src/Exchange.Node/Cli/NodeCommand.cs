using System.CommandLine;
using System.Runtime.InteropServices;
using Exchange.Core.Crypto;
using Exchange.Node.Hosting;
using Exchange.Node.Keys;

namespace Exchange.Node.Cli;

/// <summary>
/// <c>exchange node --config FILE [--config FILE]…</c>: runs a cluster node with the role its configuration names,
/// until SIGINT or SIGTERM, then leaves the cluster gracefully. Later files override earlier ones, and the
/// <c>EXCHANGE_*</c> environment variables override the files (docs/operations.md).
/// </summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var config = new Option<string[]>("--config", "-c")
        {
            Description = "HOCON file(s), e.g. hocon/validator.conf; later files override earlier ones",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("node", "Run a validator or full node in the cluster until SIGINT/SIGTERM; environment: " +
                                          string.Join(", ", EnvironmentOverrides.All)) { config };
        // Synchronous on purpose: the command handles SIGINT/SIGTERM itself, so that leaving the cluster is not cut
        // short by System.CommandLine's termination timeout.
        command.SetAction(parse => Run(parse.GetValue(config) ?? []));
        return command;
    }

    private static int Run(string[] files)
    {
        NodeHost host;
        try
        {
            var config = NodeConfig.Load(files, NodeConfig.ProcessEnvironment());
            var settings = NodeSettings.Create(config);
            _ = Schnorr.IsValidPublicKey(default);
            Directory.CreateDirectory(settings.DataDir);
            // Without a genesis the node runs the cluster membership alone (handshakes, rejoin), as before the exchange is set up.
            var genesis = string.IsNullOrWhiteSpace(config.GetString(NodeServices.GenesisFileKey, "")) ? null : NodeServices.LoadGenesis(config, settings);
            if (genesis is not null) NodeServices.CheckSettings(config, genesis);
            host = new NodeHost(config, settings, KeyFile.Read(settings.KeyFile), Console.Out) { Genesis = genesis };
        }
        catch (Exception e) when (e is NodeConfigException or KeyFileException or Secp256k1UnavailableException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }

        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            // The first signal asks for a graceful leave; a second one while leaving kills the process as usual.
            if (stop.IsCancellationRequested) return;
            context.Cancel = true;
            stop.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            return host.RunAsync(stop.Token).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: the node could not start: {e.Message}");
            return 1;
        }
    }
}
