namespace Exchange.Node.Serialization;

/// <summary>
/// Marks a node message that crosses the network or is persisted. <c>reference.conf</c> binds this interface to
/// <see cref="ExchangeSerializer"/>, so a message type opts in by implementing it and adding one line to
/// <see cref="WireCatalog"/>; a marked type missing from the catalog fails a test, not a production send.
/// Types from Core and Consensus cannot carry this marker (they know nothing of Akka) and are bound by name instead.
/// </summary>
public interface IWireMessage;
