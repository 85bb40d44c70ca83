using Akka.Configuration;

namespace Exchange.Node.Hosting;

/// <summary>
/// The node's embedded reference configuration: <c>reference.conf</c> (defaults for <c>exchange.node</c> and the wire
/// serializer's bindings) over the ledger's <c>ledger.conf</c> (its settings and the journal serializer), so an actor
/// system built from <see cref="NodeConfig"/> can host the ledger as it is.
/// </summary>
public static class NodeReference
{
    private static readonly Lazy<Config> s_config = new(() =>
        ConfigurationFactory.ParseString(EmbeddedConfig.Read("Exchange.Node.reference.conf")).WithFallback(Ledger.LedgerSettings.DefaultConfig));

    public static Config Config => s_config.Value;
}
