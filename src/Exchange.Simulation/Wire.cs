using Exchange.Consensus;

namespace Exchange.Simulation;

/// <summary>
/// Consensus messages on the simulated wire: one tag byte then the message's canonical encoding. Receivers
/// decode with the real decoders, which also run each message's stateless checks, and drop what fails.
/// </summary>
public static class Wire
{
    public const byte ProposalTag = 1;
    public const byte VoteTag = 2;

    public static byte[] Encode(IConsensusMessage message)
    {
        var body = message.Encode();
        var bytes = new byte[body.Length + 1];
        bytes[0] = message switch
        {
            Proposal => ProposalTag,
            Vote => VoteTag,
            _ => throw new ArgumentOutOfRangeException(nameof(message), message, "unknown consensus message"),
        };
        body.CopyTo(bytes, 1);
        return bytes;
    }

    public static bool TryDecode(byte[] bytes, out IConsensusMessage? message)
    {
        message = null;
        if (bytes.Length < 1) return false;
        var body = bytes.AsSpan(1);
        switch (bytes[0])
        {
            case ProposalTag:
                if (!Proposal.TryDecode(body, out var p, out _)) return false;
                message = p;
                return true;
            case VoteTag:
                if (!Vote.TryDecode(body, out var v, out _)) return false;
                message = v;
                return true;
            default:
                return false;
        }
    }
}
