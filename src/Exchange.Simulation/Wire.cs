using Exchange.Consensus;
using Exchange.Core.Ledger;

namespace Exchange.Simulation;

/// <summary>
/// Consensus messages and gossiped evidence on the simulated wire: one tag byte then the canonical encoding.
/// Receivers decode with the real decoders, which also run each message's stateless checks, and drop what fails.
/// </summary>
public static class Wire
{
    public const byte ProposalTag = 1;
    public const byte VoteTag = 2;
    public const byte EvidenceTag = 3;

    public static byte[] EncodeEvidence(EquivocationEvidence evidence) => [EvidenceTag, .. evidence.Encode()];

    public static bool IsEvidence(byte[] bytes) => bytes.Length > 0 && bytes[0] == EvidenceTag;

    public static bool TryDecodeEvidence(byte[] bytes, out EquivocationEvidence? evidence)
    {
        evidence = null;
        return IsEvidence(bytes) && EquivocationEvidence.TryDecode(bytes.AsSpan(1), out evidence, out _);
    }

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
