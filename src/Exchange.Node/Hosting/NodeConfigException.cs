namespace Exchange.Node.Hosting;

/// <summary>A configuration the node cannot start with; the message names the key or file and what to change.</summary>
public sealed class NodeConfigException(string message, Exception? inner = null) : Exception(message, inner);
