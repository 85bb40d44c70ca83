using Akka.Configuration;

namespace Exchange.Node.Hosting;

/// <summary>The node's embedded <c>reference.conf</c>: defaults for <c>exchange.node</c> and the serializer bindings.</summary>
public static class NodeReference
{
    private static readonly Lazy<Config> s_config = new(() =>
    {
        using var stream = typeof(NodeReference).Assembly.GetManifestResourceStream("Exchange.Node.reference.conf")
                           ?? throw new InvalidOperationException("Exchange.Node.reference.conf is not embedded in the exchange assembly");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    });

    public static Config Config => s_config.Value;
}
