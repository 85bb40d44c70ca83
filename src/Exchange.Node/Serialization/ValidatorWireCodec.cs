using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;
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

    public static byte[] Encode(DecidedBlock m)
    {
        var block = m.Block.Encode();
        var commit = m.Commit.Encode();
        var w = new CanonicalWriter(block.Length + commit.Length + 16);
        w.WriteByte(CurrentVersion);
        w.WriteBytes(block);
        w.WriteBytes(commit);
        return w.ToArray();
    }

    public static DecidedBlock DecodeDecidedBlock(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxDecidedBlockLength, "decided block", static (ref CanonicalReader r) =>
        {
            Version(ref r, "decided_block.version");
            var block = Block.Decode(r.ReadBytes("decided_block.block", Block.MaxEncodedLength));
            var commit = Commit.Decode(r.ReadBytes("decided_block.commit", Commit.MaxEncodedLength));
            return new DecidedBlock(block, commit);
        });

    private static void Version(ref CanonicalReader r, string field)
    {
        var version = r.ReadByte(field);
        if (version != CurrentVersion) throw new DecodeException(DecodeError.UnknownVersion, $"{field}: {version}");
    }
}
