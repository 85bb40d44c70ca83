using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;
using Exchange.Core.Oracle;

namespace Exchange.Node.Validator;

/// <summary>
/// One record of the consensus write-ahead log: an input the node fed to its core at the log's height, or
/// (<see cref="Own"/>) a proposal or vote this validator signed, written before it was sent. Replaying the
/// records in order through a fresh core rebuilds the round state: round, step, lock and valid value.
/// <para>Encoding: one tag byte, then the canonical encoding of the input's fields with the Core codec.</para>
/// </summary>
public sealed record WalEntry(ConsensusInput Input, bool Own = false)
{
    private const byte ProposalTag = 1, VoteTag = 2, TimeoutTag = 3, PayloadTag = 4, VerdictTag = 5, ExtensionTag = 6,
        OwnProposalTag = 7, OwnVoteTag = 8;

    /// <summary>The largest record: a proposal with the largest block, and room for its framing.</summary>
    public const int MaxEncodedLength = Proposal.MaxEncodedLength + 64;

    public static WalEntry OwnMessage(IConsensusMessage message) => new(InputOf(message), Own: true);

    /// <summary>The input that delivers <paramref name="message"/> to a core.</summary>
    public static ConsensusInput InputOf(IConsensusMessage message) => message switch
    {
        Proposal p => new ConsensusInput.ProposalReceived(p),
        Vote v => new ConsensusInput.VoteReceived(v),
        _ => throw new ArgumentOutOfRangeException(nameof(message), message, "unknown consensus message"),
    };

    public byte[] Encode()
    {
        var w = new CanonicalWriter(EncodedLengthEstimate());
        WriteTo(w);
        return w.ToArray();
    }

    /// <summary>At least the length of <see cref="Encode"/>'s result, so a writer of that capacity never grows.</summary>
    public int EncodedLengthEstimate() => Input switch
    {
        ConsensusInput.ProposalReceived p => p.Proposal.EncodedLengthEstimate() + 16,
        ConsensusInput.PayloadReady p => p.Block.EncodedLengthEstimate() + 32,
        _ => 256,
    };

    /// <summary>Appends exactly the bytes of <see cref="Encode"/> to <paramref name="w"/>.</summary>
    public void WriteTo(CanonicalWriter w)
    {
        switch (Input)
        {
            case ConsensusInput.ProposalReceived p:
                w.WriteByte(Own ? OwnProposalTag : ProposalTag);
                var proposal = w.BeginNested();
                p.Proposal.WriteTo(w);
                w.EndNested(proposal);
                break;
            case ConsensusInput.VoteReceived v:
                w.WriteByte(Own ? OwnVoteTag : VoteTag);
                w.WriteBytes(v.Vote.Encode());
                break;
            case ConsensusInput.TimeoutElapsed t when !Own:
                w.WriteByte(TimeoutTag);
                w.WriteVarUInt(t.Height);
                w.WriteVarUInt(t.Round);
                w.WriteByte((byte)t.Step);
                break;
            case ConsensusInput.PayloadReady p when !Own:
                w.WriteByte(PayloadTag);
                w.WriteVarUInt(p.Height);
                w.WriteVarUInt(p.Round);
                var block = w.BeginNested();
                p.Block.WriteTo(w);
                w.EndNested(block);
                break;
            case ConsensusInput.BlockValidated b when !Own:
                w.WriteByte(VerdictTag);
                w.WriteHash(b.BlockHash);
                w.WriteBool(b.Valid);
                break;
            case ConsensusInput.ExtensionReady e when !Own:
                w.WriteByte(ExtensionTag);
                e.Observation.WriteTo(w);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(Input), Input, Own ? "only proposals and votes are own messages" : "this input is not logged");
        }
    }

    /// <summary>Decodes one record; throws <see cref="DecodeException"/> on anything malformed.</summary>
    public static WalEntry Decode(ReadOnlySpan<byte> bytes) => Decoding.Exactly(bytes, MaxEncodedLength, "wal entry", Read);

    private static WalEntry Read(ref CanonicalReader r)
    {
        var tag = r.ReadByte("wal.tag");
        switch (tag)
        {
            case ProposalTag or OwnProposalTag:
                return new WalEntry(new ConsensusInput.ProposalReceived(Proposal.Decode(r.ReadBytes("wal.proposal", Proposal.MaxEncodedLength))), tag == OwnProposalTag);
            case VoteTag or OwnVoteTag:
                return new WalEntry(new ConsensusInput.VoteReceived(Vote.Decode(r.ReadBytes("wal.vote", Vote.MaxEncodedLength))), tag == OwnVoteTag);
            case TimeoutTag:
                var height = r.ReadVarUInt("wal.timeout.height");
                var round = r.ReadVarUInt32("wal.timeout.round");
                var step = (RoundStep)r.ReadEnum("wal.timeout.step", (byte)RoundStep.Propose, (byte)RoundStep.Precommit);
                return new WalEntry(new ConsensusInput.TimeoutElapsed(height, round, step));
            case PayloadTag:
                var h = r.ReadVarUInt("wal.payload.height");
                var rd = r.ReadVarUInt32("wal.payload.round");
                return new WalEntry(new ConsensusInput.PayloadReady(h, rd, Block.Decode(r.ReadBytes("wal.payload.block", Block.MaxEncodedLength))));
            case VerdictTag:
                var hash = r.ReadHash("wal.verdict.hash");
                return new WalEntry(new ConsensusInput.BlockValidated(hash, r.ReadBool("wal.verdict.valid")));
            case ExtensionTag:
                return new WalEntry(new ConsensusInput.ExtensionReady(PriceObservation.Read(ref r)));
            default:
                throw new DecodeException(DecodeError.UnknownEnumValue, $"wal entry tag {tag}");
        }
    }

    /// <summary>The message of a proposal or vote entry, else null.</summary>
    public IConsensusMessage? Message => Input switch
    {
        ConsensusInput.ProposalReceived p => p.Proposal,
        ConsensusInput.VoteReceived v => v.Vote,
        _ => null,
    };

    public bool Equals(WalEntry? other) => other is not null && Own == other.Own && Input.Equals(other.Input);

    public override int GetHashCode() => Input.GetHashCode();
}
