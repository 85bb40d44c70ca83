using Akka.Actor;
using Akka.Configuration;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Node.Hosting;

namespace Exchange.Node.Application;

/// <summary>
/// What the application actor needs: the node's ledger, mempool and margin engine, and the block rules of
/// <c>exchange.application</c>. The embedded <c>application.conf</c> documents each rule and holds its default, so
/// <see cref="Create"/> is the way to build one.
/// </summary>
/// <param name="MaxClockDriftMs">How far ahead of this node's clock a proposed block's time may be.</param>
/// <param name="MinBlockInterval">
/// The least time between empty blocks: with nothing in the mempool the proposer waits until this long after the last
/// block's time (taking any transaction that arrives meanwhile), so an idle chain does not write a block per round
/// trip; with transactions pending it builds at once, so they are not held back.
/// </param>
/// <param name="AskTimeout">How long a build waits for the mempool, and a proposal's check for its verdicts.</param>
public sealed record ApplicationSettings(
    string ChainId,
    IActorRef Ledger,
    IActorRef Mempool,
    IActorRef MarginEngine,
    PublicKey Proposer,
    int MaxTransactionsPerBlock,
    long MaxBlockBytes,
    int MaxLiquidationCandidates,
    long MaxClockDriftMs,
    TimeSpan MinBlockInterval,
    TimeSpan AskTimeout)
{
    /// <summary>The largest <c>max-block-bytes</c>: a block's whole encoding, header, commit and evidence included, stays under <see cref="Block.MaxEncodedLength"/>.</summary>
    public const long LargestBlockBytes = Block.MaxEncodedLength - (1 << 20);

    /// <summary>The application's reference configuration, for an actor system that runs it to fall back on.</summary>
    public static Config DefaultConfig { get; } = ConfigurationFactory.ParseString(EmbeddedConfig.Read("Exchange.Node.Application.application.conf"));

    /// <summary>Reads <c>exchange.application</c> from <paramref name="config"/>, falling back to <see cref="DefaultConfig"/>.</summary>
    /// <exception cref="ConfigurationException">A value is missing its unit, malformed or out of range; the message names the key.</exception>
    public static ApplicationSettings Create(Config config, string chainId, IActorRef ledger, IActorRef mempool, IActorRef marginEngine, PublicKey proposer)
    {
        var c = new SettingsSection(config.WithFallback(DefaultConfig).GetConfig("exchange.application"), "exchange.application");
        var settings = new ApplicationSettings(chainId, ledger, mempool, marginEngine, proposer,
            c.Int("max-block-transactions"),
            c.Bytes("max-block-bytes"),
            c.Int("max-liquidations-per-block"),
            (long)c.Duration("max-clock-drift").TotalMilliseconds,
            c.Duration("empty-block-interval"),
            c.Duration("ask-timeout"));
        return settings.Check() is { } error ? throw new ConfigurationException($"exchange.application: {error}") : settings;
    }

    /// <summary>Null when usable, else the first problem.</summary>
    public string? Check()
    {
        if (MaxTransactionsPerBlock is < 1 or > Block.MaxTransactions) return $"max-block-transactions must be 1 to {Block.MaxTransactions}";
        if (MaxBlockBytes < Transaction.MaxEncodedLength || MaxBlockBytes > LargestBlockBytes)
            return $"max-block-bytes must be {Transaction.MaxEncodedLength} to {LargestBlockBytes} bytes";
        if (MaxLiquidationCandidates is < 0 or > Block.MaxLiquidations) return $"max-liquidations-per-block must be 0 to {Block.MaxLiquidations}";
        if (MinBlockInterval < TimeSpan.Zero) return "empty-block-interval must not be negative";
        if (MaxClockDriftMs < 1) return "max-clock-drift must be at least 1ms";
        if (AskTimeout <= TimeSpan.Zero) return "ask-timeout must be positive";
        return null;
    }
}
