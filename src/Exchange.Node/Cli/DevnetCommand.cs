using System.CommandLine;
using System.Runtime.InteropServices;
using Exchange.Core.Crypto;
using Exchange.Node.Devnet;
using Exchange.Node.Keys;
using Spectre.Console;

namespace Exchange.Node.Cli;

/// <summary>
/// <c>exchange devnet --validators 4 --fullnodes 1</c>: a local network of real node processes on loopback with SQLite
/// under one data directory, a genesis with funded traders and BTC and ETH option series, and a live table of every
/// node until Ctrl-C stops them all. Started again on the same directory it continues the stored chain.
/// </summary>
internal static class DevnetCommand
{
    public static Command Create()
    {
        var validators = new Option<int>("--validators") { Description = "Validator processes", DefaultValueFactory = _ => 4 };
        var fullNodes = new Option<int>("--fullnodes") { Description = "Full node processes", DefaultValueFactory = _ => 1 };
        var dataDir = new Option<string>("--data-dir") { Description = "Where the devnet keeps its genesis, keys and node data", DefaultValueFactory = _ => "devnet" };
        var basePort = new Option<int>("--base-port") { Description = "Validator i listens on base+i, full node i on base+100+i", DefaultValueFactory = _ => DevnetRunner.DefaultBasePort };
        var seconds = new Option<int>("--seconds") { Description = "Stop after this many seconds (0: run until Ctrl-C)", DefaultValueFactory = _ => 0 };
        var pinCores = new Option<string>("--pin-cores")
        {
            Description = "auto: with more nodes than cores, start each node on one core (round robin, through taskset); off: let them all share every core",
            DefaultValueFactory = _ => "auto",
        };
        pinCores.AcceptOnlyFromAmong("auto", "off");
        var command = new Command("devnet", "Run a local devnet of validator and full node processes with a live status table") { validators, fullNodes, dataDir, basePort, seconds, pinCores };
        command.SetAction(parse => Run(parse.GetValue(validators), parse.GetValue(fullNodes), parse.GetValue(dataDir)!, parse.GetValue(basePort), parse.GetValue(seconds),
            parse.GetValue(pinCores) == "off" ? CorePinning.Off : CorePinning.Auto));
        return command;
    }

    private static int Run(int validators, int fullNodes, string dataDir, int basePort, int seconds, CorePinning pinning)
    {
        if (validators is < 1 or > 32 || fullNodes is < 0 or > 16)
        {
            Console.Error.WriteLine("error: 1 to 32 validators and 0 to 16 full nodes");
            return 2;
        }
        DevnetLayout layout;
        try
        {
            _ = Schnorr.IsValidPublicKey(default);
            layout = DevnetLayout.OpenOrCreate(dataDir, validators, fullNodes, DateTimeOffset.UtcNow);
        }
        catch (Exception e) when (e is InvalidOperationException or KeyFileException or FormatException or Secp256k1UnavailableException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }

        using var runner = new DevnetRunner(layout, validators, fullNodes, basePort, pinning);
        using var stop = new CancellationTokenSource();
        if (seconds > 0) stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        AnsiConsole.MarkupLine($"[bold]Exchange devnet[/] [grey]{Markup.Escape(layout.Root)}[/]: {validators} validators, {fullNodes} full nodes, chain {DevnetLayout.ChainId}");
        AnsiConsole.MarkupLine($"[grey]genesis {Markup.Escape(layout.GenesisPath)}; trader keys in {Markup.Escape(layout.KeysDirectory)}; node logs in nodes/*/node.log. Ctrl-C stops every node.[/]");
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(runner.CoresSummary)}[/]");
        runner.StartAll();
        AnsiConsole.Live(Table(runner)).AutoClear(false).Start(context =>
        {
            while (!stop.Token.WaitHandle.WaitOne(500)) context.UpdateTarget(Table(runner));
            context.UpdateTarget(Table(runner));
        });
        AnsiConsole.MarkupLine("[grey]stopping every node...[/]");
        runner.StopAllAsync(TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
        var views = runner.Nodes.Select(n => n.View()).ToArray();
        AnsiConsole.MarkupLine($"stopped at height {views.Max(v => v.Height)}; start again with the same --data-dir to continue the chain");
        return 0;
    }

    private static Table Table(DevnetRunner runner)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("node").AddColumn("state").AddColumn(new TableColumn("height").RightAligned()).AddColumn(new TableColumn("round").RightAligned())
            .AddColumn(new TableColumn("tx/s").RightAligned()).AddColumn(new TableColumn("peers").RightAligned()).AddColumn("app hash");
        foreach (var node in runner.Nodes)
        {
            var v = node.View();
            var state = v.LastError is { } error ? $"[red]{Markup.Escape(error[..Math.Min(error.Length, 40)])}[/]"
                : !v.Running ? "[red]stopped[/]" : v.Height == 0 ? "[yellow]starting[/]" : "[green]running[/]";
            table.AddRow(v.Name, state, v.Height.ToString("N0"), v.Round.ToString(), v.TxPerSecond.ToString("N1"), v.Peers.ToString(),
                v.AppHash.Length >= 12 ? v.AppHash[..12] : "-");
        }
        return table;
    }
}
