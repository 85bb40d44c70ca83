using Akka.Configuration;
using Exchange.Node.Hosting;

namespace Exchange.Node.Mempool;

/// <summary>The pool's bounds. Every one is enforced at admission; none is ever exceeded.</summary>
/// <param name="MaxTransactions">Most transactions pending at once.</param>
/// <param name="MaxBytes">Most bytes of encoded transactions pending at once.</param>
/// <param name="MaxPerSender">Most transactions of one sender pending at once (so one sender cannot fill the pool).</param>
public sealed record MempoolLimits(int MaxTransactions, long MaxBytes, int MaxPerSender)
{
    public static readonly MempoolLimits Default = new(50_000, 32L * 1024 * 1024, 1_000);

    /// <summary>Null when usable, else the first problem.</summary>
    public string? Check()
    {
        if (MaxTransactions < 1) return "max-transactions must be at least 1";
        if (MaxBytes < 1) return "max-bytes must be at least 1";
        if (MaxPerSender < 1) return "max-per-sender must be at least 1";
        return null;
    }
}

/// <summary>
/// Settings of <see cref="MempoolActor"/>, read once from the <c>exchange.mempool</c> section of the
/// node's HOCON; <see cref="DefaultConfig"/> documents every key and supplies what is not set.
/// </summary>
public sealed record MempoolSettings(
    MempoolLimits Limits,
    int VerifyBatchSize,
    int MaxVerifying,
    TimeSpan BatchWindow,
    int MaxGossipBytes,
    TimeSpan GossipInterval)
{
    /// <summary>The defaults, one comment per key.</summary>
    public const string DefaultConfig = """
        exchange.mempool {
          # Most transactions pending at once; beyond it a submission is refused with PoolFull (952).
          max-transactions = 50000
          # Most bytes of encoded transactions pending at once (PoolFull as well).
          max-bytes = 32 MiB
          # Most pending transactions of one sender; beyond it SenderLimit (953).
          max-per-sender = 1000
          # Most signatures checked in one batch on every core. Larger batches amortize the hand-off,
          # smaller ones answer sooner.
          verify-batch-size = 512
          # Most submissions waiting for or in signature verification; beyond it QueueFull (954).
          max-verifying = 8192
          # How long an idle verifier waits for a batch to fill. 0 sends what is waiting at once and lets
          # batches grow while the previous one runs (group commit), which is both lower latency and,
          # under load, just as full. Akka's scheduler ticks every 10 ms, so small windows round up.
          batch-window = 0s
          # Most bytes of transactions in one gossip message to a peer: under Akka.Remote's frame size.
          max-gossip-bytes = 64 KiB
          # Least time between two gossip messages to the peers. Transactions admitted sooner after the last
          # message wait and go together in the next one; the first after a quiet spell goes at once. Every
          # remote message costs both nodes tens of microseconds of CPU, and under load clients' batches are
          # admitted every millisecond or two, so this bounds gossip to a few hundred messages per second per
          # peer. Under steady load the next verified batch sends what waits once the interval is over; when
          # none comes, a timer does, rounded up to Akka's scheduler tick (10 ms). Whatever waits also goes
          # out before the proposer is handed its batch. 0 sends each verified batch's transactions at once.
          gossip-interval = 5ms
        }
        """;

    public static MempoolSettings Default { get; } = Create(ConfigurationFactory.ParseString(DefaultConfig));

    /// <summary>Reads <c>exchange.mempool</c> from <paramref name="config"/>, falling back to <see cref="DefaultConfig"/>.</summary>
    /// <exception cref="ConfigurationException">A value is malformed or out of range; the message names the key.</exception>
    public static MempoolSettings Create(Config config)
    {
        var c = new SettingsSection(config.WithFallback(ConfigurationFactory.ParseString(DefaultConfig)).GetConfig("exchange.mempool"), "exchange.mempool");
        var settings = new MempoolSettings(
            new MempoolLimits(c.Int("max-transactions"), c.Bytes("max-bytes"), c.Int("max-per-sender")),
            c.Int("verify-batch-size"),
            c.Int("max-verifying"),
            c.Duration("batch-window"),
            (int)Math.Min(int.MaxValue, c.Bytes("max-gossip-bytes")),
            c.Duration("gossip-interval"));
        return settings.Check() is { } error ? throw new ConfigurationException($"exchange.mempool: {error}") : settings;
    }

    /// <summary>Null when usable, else the first problem.</summary>
    public string? Check()
    {
        if (Limits.Check() is { } error) return error;
        if (VerifyBatchSize < 1) return "verify-batch-size must be at least 1";
        if (MaxVerifying < VerifyBatchSize) return "max-verifying must be at least verify-batch-size";
        if (BatchWindow < TimeSpan.Zero) return "batch-window must not be negative";
        if (MaxGossipBytes < Core.Ledger.Transaction.MaxEncodedLength + 16) return "max-gossip-bytes must hold at least one transaction";
        if (GossipInterval < TimeSpan.Zero) return "gossip-interval must not be negative";
        return null;
    }
}
