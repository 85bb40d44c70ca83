namespace Exchange.Node.Tests.Hosting;

/// <summary>Tests that form real clusters on loopback run one at a time: they depend on timing and share two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
