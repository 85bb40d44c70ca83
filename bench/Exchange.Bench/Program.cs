using BenchmarkDotNet.Running;
using Exchange.Bench;
using Exchange.Bench.Consensus;
using Exchange.Bench.Crypto;
using Exchange.Bench.State;
using Exchange.Bench.Matching;

// One subcommand per suite, so bench/run.sh and CI pick a suite by name.
return args switch
{
    ["crypto", .. var rest] => CryptoCommand.Run(rest),
    ["state", .. var rest] => StateCommand.Run(rest),
    ["matching", .. var rest] => MatchingCommand.Run(rest),
    ["matching-soak", .. var rest] => SoakCommand.Run(rest),
    ["consensus", .. var rest] => ConsensusCommand.Run(rest),
    ["devnet", .. var rest] => Exchange.Bench.Devnet.DevnetLoadCommand.Run(rest),
    ["remote-floor", .. var rest] => Exchange.Bench.Devnet.RemoteFloorCommand.Run(rest),
    ["remote-floor-peer", _, _, _, _, _] => Exchange.Bench.Devnet.RemoteFloorCommand.RunPeer(args[1..]),
    ["bdn", .. var rest] => RunBenchmarkDotNet(rest),
    ["help" or "--help" or "-h"] => Usage.Print(Console.Out, 0),
    _ => Usage.Print(Console.Error, 2),
};

static int RunBenchmarkDotNet(string[] args)
{
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(CryptoCommand).Assembly).Run(args);
    return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
}
