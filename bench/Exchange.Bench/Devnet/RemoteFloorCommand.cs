using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Exchange.Node.Hosting;

namespace Exchange.Bench.Devnet;

/// <summary>
/// <c>remote-floor [--seconds N] [--peers N]</c>: what Akka.Remote alone costs on this machine, with nothing of the
/// exchange around it. N processes on loopback (4 by default, as many as the devnet's validators) run lock-step
/// all-to-all rounds: each sends a 16-byte message to every other and starts the next round once it has every other's
/// message of this one, the shape of a consensus step. It runs twice: over the node's own transport, set up as a node's
/// (reference.conf and hocon/base.conf: <c>akka.remote.socket-tcp</c>, TCP no-delay), and over Akka's DotNetty transport
/// as the nodes ran it until session 13 (no write batching, one event loop each way), for comparison. The processes run
/// as a node does (each method compiled once, thread-pool workers that spin briefly).
/// <para>
/// The figures are the floor under the devnet's latency: a height of Tendermint-style consensus with n validators is
/// one proposal to n−1 peers and two such all-to-all steps, so no height on these cores can cost less node CPU than
/// that many messages at this price, whatever the exchange does. Written to bench/results/remote-floor.json.
/// </para>
/// </summary>
internal static class RemoteFloorCommand
{
    private const string SystemName = "floor";
    private const string PeerName = "peer";

    public static int Run(string[] args)
    {
        var seconds = 10;
        var peers = 4;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0) return Usage.Print(Console.Error, 2);
            switch (args[i])
            {
                case "--seconds": seconds = n; break;
                case "--peers" when n >= 2: peers = n; break;
                default: return Usage.Print(Console.Error, 2);
            }
        }
        return SuiteRun.Record("remote-floor", _ =>
        {
            var node = Measure(seconds, peers, Transport.Socket);
            var dotNetty = Measure(seconds, peers, Transport.DotNetty);
            return node.Concat(dotNetty.Where(f => f.Key is "messages_per_sec" or "node_cpu_us_per_message" or "height_floor_ms_all_cores")
                .Select(f => new KeyValuePair<string, double>("dotnetty_" + f.Key, f.Value)));
        });
    }

    /// <summary>The node's socket transport, or Akka's DotNetty transport as the nodes were set up before it.</summary>
    private enum Transport { Socket, DotNetty }

    private static KeyValuePair<string, double>[] Measure(int seconds, int peerCount, Transport transport)
    {
        var ports = Enumerable.Range(0, peerCount).Select(_ => FreePort()).ToArray();
        var warmup = Math.Max(2, seconds / 2);
        var children = new List<Process>();
        try
        {
            for (var i = 0; i < peerCount; i++) children.Add(StartPeer(i, ports, warmup, seconds, transport));
            foreach (var child in children) ExpectLine(child, "ready", TimeSpan.FromSeconds(60));
            foreach (var child in children) child.StandardInput.WriteLine("go");
            Console.Error.WriteLine($"remote-floor: {peerCount} processes over {Name(transport)}, {warmup} s warm-up, {seconds} s measured");
            var results = children.Select(c => PeerResult.Parse(ExpectLine(c, "result", TimeSpan.FromSeconds(warmup + seconds + 60)))).ToArray();

            var messagesPerRound = peerCount * (peerCount - 1);
            var rounds = results.Min(r => r.Rounds);
            var elapsed = results.Max(r => r.ElapsedSeconds);
            var cpuMs = results.Sum(r => r.CpuMs);
            var roundsPerSec = rounds / elapsed;
            var cpuUsPerMessage = cpuMs * 1_000 / (rounds * (double)messagesPerRound);
            // One proposal to every peer, then the prevote and the precommit steps, each all to all.
            var perHeight = (peerCount - 1) + 2 * messagesPerRound;
            var heightFloorMs = perHeight * cpuUsPerMessage / 1_000 / Environment.ProcessorCount;
            Console.WriteLine($"remote-floor: {peerCount} processes on {Environment.ProcessorCount} cores, all-to-all rounds of {messagesPerRound} messages over Akka.Remote, {Name(transport)}");
            Console.WriteLine($"  rounds/s                                  {roundsPerSec,12:N0}");
            Console.WriteLine($"  messages/s                                {roundsPerSec * messagesPerRound,12:N0}");
            Console.WriteLine($"  node CPU per message (send + receive)     {cpuUsPerMessage,12:N1} us");
            Console.WriteLine($"  node CPU per round                        {cpuMs / rounds,12:N2} ms");
            Console.WriteLine($"  a height's {perHeight} messages, all cores busy  {heightFloorMs,12:N2} ms");
            return
            [
                new("rounds_per_sec", Math.Round(roundsPerSec, 1)),
                new("messages_per_sec", Math.Round(roundsPerSec * messagesPerRound)),
                new("node_cpu_us_per_message", Math.Round(cpuUsPerMessage, 1)),
                new("node_cpu_ms_per_round", Math.Round(cpuMs / rounds, 3)),
                new("consensus_messages_per_height", perHeight),
                new("height_floor_ms_all_cores", Math.Round(heightFloorMs, 2)),
                new("peers", peerCount),
                new("cores", Environment.ProcessorCount),
            ];
        }
        finally
        {
            foreach (var child in children)
            {
                try
                {
                    if (!child.HasExited) child.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException) { }
                child.Dispose();
            }
        }
    }

    private static string Name(Transport transport) => transport == Transport.Socket ? "the node's socket transport" : "DotNetty";

    private static Process StartPeer(int index, int[] ports, int warmup, int seconds, Transport transport)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // The same program, as `dotnet Exchange.Bench.dll` or through its apphost.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(RemoteFloorCommand).Assembly.Location);
        foreach (var a in new[] { "remote-floor-peer", index.ToString(CultureInfo.InvariantCulture), string.Join(',', ports), warmup.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture), transport.ToString() })
            start.ArgumentList.Add(a);
        // As a node runs (Exchange.Node.csproj): no tiered recompilation, thread-pool workers that spin briefly.
        start.Environment["DOTNET_TieredCompilation"] = "0";
        start.Environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "50";
        return Process.Start(start) ?? throw new BenchPrerequisiteException("could not start a remote-floor peer process");
    }

    private static string ExpectLine(Process child, string prefix, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var read = child.StandardOutput.ReadLineAsync();
            if (!read.Wait(deadline - DateTime.UtcNow) || read.Result is null)
                throw new BenchPrerequisiteException($"remote-floor peer {child.Id} did not print '{prefix}' in time");
            if (read.Result.StartsWith(prefix, StringComparison.Ordinal)) return read.Result;
            Console.Error.WriteLine($"peer {child.Id}: {read.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record PeerResult(long Rounds, double ElapsedSeconds, double CpuMs)
    {
        /// <summary>Reads <c>result ROUNDS ELAPSED_SECONDS CPU_MS</c>.</summary>
        public static PeerResult Parse(string line)
        {
            var f = line.Split(' ');
            return new(long.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// <c>remote-floor-peer INDEX PORTS WARMUP SECONDS TRANSPORT</c>, started by <see cref="Run"/>: one process of the measurement. Prints
    /// <c>ready</c> once it has resolved every other peer, starts on <c>go</c>, prints its result after the warm-up and the
    /// measured seconds, and keeps exchanging until its parent stops it, so the others can finish their own windows.
    /// </summary>
    public static int RunPeer(string[] args)
    {
        var index = int.Parse(args[0], CultureInfo.InvariantCulture);
        var ports = args[1].Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var warmup = int.Parse(args[2], CultureInfo.InvariantCulture);
        var seconds = int.Parse(args[3], CultureInfo.InvariantCulture);
        var transport = Enum.Parse<Transport>(args[4]);
        var config = transport == Transport.Socket
            ? ConfigurationFactory.ParseString($$"""
                akka {
                  loglevel = WARNING
                  stdout-loglevel = WARNING
                  actor.provider = remote
                  remote.socket-tcp {
                    hostname = "127.0.0.1"
                    port = {{ports[index]}}
                  }
                }
                """).WithFallback(NodeReference.Config)
            : ConfigurationFactory.ParseString($$"""
                akka {
                  loglevel = WARNING
                  stdout-loglevel = WARNING
                  actor.provider = remote
                  remote.enabled-transports = ["akka.remote.dot-netty.tcp"]
                  remote.dot-netty.tcp {
                    hostname = "127.0.0.1"
                    port = {{ports[index]}}
                    tcp-nodelay = on
                    batching.enabled = off
                    server-socket-worker-pool { pool-size-min = 1, pool-size-max = 1 }
                    client-socket-worker-pool { pool-size-min = 1, pool-size-max = 1 }
                  }
                }
                """);
        using var system = ActorSystem.Create(SystemName, config);
        // The actor exists before this process looks for the others, which are looking for it at the same time.
        var peer = system.ActorOf(Props.Create(() => new Peer()), PeerName);
        var others = ports.Where((_, i) => i != index)
            .Select(p => Resolve(system, $"akka.tcp://{SystemName}@127.0.0.1:{p}/user/{PeerName}"))
            .ToArray();
        // Every other peer must resolve this one too before anyone starts, or the first round's messages are lost.
        Console.WriteLine("ready");
        if (Console.ReadLine() != "go") return 1;
        peer.Tell(new Peer.Start(others));

        var process = Process.GetCurrentProcess();
        Thread.Sleep(TimeSpan.FromSeconds(warmup));
        var (round0, cpu0, at0) = (Peer.Rounds, CpuTime(process), Stopwatch.GetTimestamp());
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        var (round1, cpu1, at1) = (Peer.Rounds, CpuTime(process), Stopwatch.GetTimestamp());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"result {round1 - round0} {(at1 - at0) / (double)Stopwatch.Frequency} {(cpu1 - cpu0).TotalMilliseconds}"));
        Console.ReadLine();   // until the parent closes or kills it
        return 0;
    }

    private static TimeSpan CpuTime(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>A peer's actor may not exist yet: its process starts at the same time as this one.</summary>
    private static IActorRef Resolve(ActorSystem system, string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                return system.ActorSelection(path).ResolveOne(TimeSpan.FromSeconds(2)).GetAwaiter().GetResult();
            }
            catch (ActorNotFoundException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }

    /// <summary>Lock-step rounds: a round's message to every other peer, the next round once every other's has arrived.</summary>
    private sealed class Peer : ReceiveActor
    {
        public sealed record Start(IActorRef[] Others);

        private static long _rounds;

        /// <summary>Rounds this process has completed, read by the measuring thread.</summary>
        public static long Rounds => Volatile.Read(ref _rounds);

        private IActorRef[] _others = [];
        // A peer can be at most one round ahead of this one (it needs this one's message to finish the round), so
        // two counters, by the round's parity, hold every message that can arrive.
        private readonly int[] _received = new int[2];
        private long _round;

        public Peer()
        {
            Receive<Start>(start =>
            {
                _others = start.Others;
                Broadcast();
            });
            Receive<byte[]>(OnMessage);
        }

        private void OnMessage(byte[] message)
        {
            var round = BitConverter.ToInt64(message, 0);
            _received[round & 1]++;
            while (_received[_round & 1] == _others.Length)
            {
                _received[_round & 1] = 0;
                _round++;
                Volatile.Write(ref _rounds, _round);
                Broadcast();
            }
        }

        private void Broadcast()
        {
            foreach (var other in _others)
            {
                var message = new byte[16];
                BitConverter.TryWriteBytes(message, _round);
                other.Tell(message, Self);
            }
        }
    }
}
