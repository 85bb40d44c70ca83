namespace Exchange.Consensus;

/// <summary>A message validators gossip: a <see cref="Proposal"/> or a <see cref="Vote"/>. Each is signed by its sender.</summary>
public interface IConsensusMessage
{
    ulong Height { get; }
    uint Round { get; }
    MessageValidation Validate();
    byte[] Encode();
}
