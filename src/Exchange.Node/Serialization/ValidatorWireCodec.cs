using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;
using Exchange.Node.Ledger;
using Exchange.Node.Validator;

namespace Exchange.Node.Serialization;

/// <summary>
/// Canonical forms of the validator's own messages between validators (<see cref="IValidatorWireMessage"/>); proposals
/// and votes travel as the Consensus types themselves. Each starts with a version byte. The receiving validator runs
/// the stateless checks of what they carry.
/// </summary>
public static class ValidatorWireCodec
{
    public const byte CurrentVersion = 1;
    public const int MaxConsensusStatusLength = 16;
    public const int MaxDecidedBlockLength = 16 + Block.MaxEncodedLength + Commit.MaxEncodedLength;

    public static byte[] Encode(ConsensusStatus m)
    {
        var w = new CanonicalWriter(12);
        w.WriteByte(CurrentVersion);
        w.WriteVarUInt(m.Height);
        return w.ToArray();
    }

    public static ConsensusStatus DecodeConsensusStatus(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxConsensusStatusLength, "consensus status", static (ref CanonicalReader r) =>
        {
            Version(ref r, "consensus_status.version");
            return new ConsensusStatus(r.ReadVarUInt("consensus_status.height"));
        });

    public static byte[] Encode(DecidedBlock m) =>
        ScratchWriter.Encode(m, static (w, m) =>
        {
            w.WriteByte(CurrentVersion);
            BlockAndCommit.Write(w, m.Block, m.Commit);
        });

    public static DecidedBlock DecodeDecidedBlock(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxDecidedBlockLength, "decided block", static (ref CanonicalReader r) =>
        {
            Version(ref r, "decided_block.version");
            var block = Block.Decode(r.ReadBytes("decided_block.block", Block.MaxEncodedLength));
            var commit = Commit.Decode(r.ReadBytes("decided_block.commit", Commit.MaxEncodedLength));
            return new DecidedBlock(block, commit);
        });

    public const int MaxCompactProposalLength = 256 + CompactBlock.MaxEncodedLength;
    public const int MaxProposalWantedLength = 24;

    public static byte[] Encode(CompactProposal m) =>
        ScratchWriter.Encode(m, static (w, m) =>
        {
            w.WriteByte(CurrentVersion);
            w.WriteVarUInt(m.Height);
            w.WriteVarUInt(m.Round);
            w.WriteVarInt(m.PolRound);
            m.Block.WriteTo(w);
            w.WritePublicKey(m.Proposer);
            w.WriteSignature(m.Signature);
        });

    public static CompactProposal DecodeCompactProposal(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxCompactProposalLength, "compact proposal", static (ref CanonicalReader r) =>
        {
            Version(ref r, "compact_proposal.version");
            var height = r.ReadVarUInt("compact_proposal.height");
            var round = r.ReadVarUInt32("compact_proposal.round");
            var polRound = r.ReadVarInt("compact_proposal.pol_round");
            if (polRound < -1 || polRound > int.MaxValue) throw new DecodeException(DecodeError.ValueOutOfRange, $"proof-of-lock round {polRound}");
            var block = CompactBlock.Read(ref r);
            return new CompactProposal(height, round, (int)polRound, block, r.ReadPublicKey("compact_proposal.proposer"), r.ReadSignature("compact_proposal.signature"));
        });

    public static byte[] Encode(ProposalWanted m)
    {
        var w = new CanonicalWriter(16);
        w.WriteByte(CurrentVersion);
        w.WriteVarUInt(m.Height);
        w.WriteVarUInt(m.Round);
        return w.ToArray();
    }

    public static ProposalWanted DecodeProposalWanted(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxProposalWantedLength, "proposal request", static (ref CanonicalReader r) =>
        {
            Version(ref r, "proposal_wanted.version");
            return new ProposalWanted(r.ReadVarUInt("proposal_wanted.height"), r.ReadVarUInt32("proposal_wanted.round"));
        });

    private static void Version(ref CanonicalReader r, string field)
    {
        var version = r.ReadByte(field);
        if (version != CurrentVersion) throw new DecodeException(DecodeError.UnknownVersion, $"{field}: {version}");
    }
}
