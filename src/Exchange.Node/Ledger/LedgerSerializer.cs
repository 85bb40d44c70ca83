using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;
using Exchange.Node.Serialization;

namespace Exchange.Node.Ledger;

/// <summary>
/// Stores the ledger's journal events and snapshots in the Core codec's canonical form, each under a short
/// manifest that names its layout version. Bound in the ledger's reference configuration (<c>ledger.conf</c>);
/// separate from the wire serializer, since what is on disk must stay readable for the life of a chain.
/// </summary>
/// <remarks>
/// <c>BlockCommitted</c> (<c>"bc1"</c>): the encoded block, the encoded commit (each length-prefixed) and the 32-byte app hash.
/// <c>LedgerSnapshot</c> (<c>"ls2"</c>): the height (varint), the app hash, the state snapshot and the validator schedule (each length-prefixed).
/// Decoding is as strict as the codec: trailing bytes, over-long fields and unknown manifests are errors.
/// </remarks>
public sealed class LedgerSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 1201;
    public const string BlockCommittedManifest = "bc1";
    public const string SnapshotManifest = "ls2";
    /// <summary>The largest state snapshot read back: far above any state the exchange holds, below what a byte array can.</summary>
    public const int MaxSnapshotLength = 1 << 30;
    public const int MaxScheduleLength = 1 << 20;

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        BlockCommitted => BlockCommittedManifest,
        LedgerSnapshot => SnapshotManifest,
        _ => throw new ArgumentException($"the ledger serializer does not store {o.GetType()}", nameof(o)),
    };

    public override byte[] ToBinary(object obj) => obj switch
    {
        BlockCommitted e => Encode(e),
        LedgerSnapshot s => Encode(s),
        _ => throw new ArgumentException($"the ledger serializer does not store {obj.GetType()}", nameof(obj)),
    };

    public override object FromBinary(byte[] bytes, string manifest)
    {
        try
        {
            return manifest switch
            {
                BlockCommittedManifest => DecodeBlockCommitted(bytes),
                SnapshotManifest => DecodeSnapshot(bytes),
                _ => throw new SerializationException($"unknown ledger manifest '{manifest}'"),
            };
        }
        catch (DecodeException e)
        {
            throw new SerializationException($"ledger record '{manifest}' of {bytes.Length} bytes does not decode: {e.Message}", e);
        }
    }

    public static byte[] Encode(BlockCommitted e) =>
        ScratchWriter.Encode(e, static (w, e) =>
        {
            BlockAndCommit.Write(w, e.Block, e.Commit);
            w.WriteHash(e.AppHash);
        });

    public static BlockCommitted DecodeBlockCommitted(ReadOnlySpan<byte> bytes)
    {
        var r = new CanonicalReader(bytes);
        var block = Block.Decode(r.ReadBytes("ledger.block", Block.MaxEncodedLength));
        var commit = Commit.Decode(r.ReadBytes("ledger.commit", Commit.MaxEncodedLength));
        var appHash = r.ReadHash("ledger.app_hash");
        r.EnsureEnd("ledger block");
        return new BlockCommitted(block, commit, appHash);
    }

    public static byte[] Encode(LedgerSnapshot s)
    {
        var w = new CanonicalWriter(s.State.Length + 64);
        w.WriteVarUInt(s.Height);
        w.WriteHash(s.AppHash);
        w.WriteBytes(s.State);
        w.WriteBytes(s.Schedule);
        w.WriteBool(s.Tip is not null);
        if (s.Tip is not null) w.WriteBytes(Encode(s.Tip));
        return w.ToArray();
    }

    public static LedgerSnapshot DecodeSnapshot(ReadOnlySpan<byte> bytes)
    {
        var r = new CanonicalReader(bytes);
        var height = r.ReadVarUInt("snapshot.height");
        var appHash = r.ReadHash("snapshot.app_hash");
        var state = r.ReadBytes("snapshot.state", MaxSnapshotLength).ToArray();
        var schedule = r.ReadBytes("snapshot.schedule", MaxScheduleLength).ToArray();
        var tip = r.ReadBool("snapshot.has_tip") ? DecodeBlockCommitted(r.ReadBytes("snapshot.tip", MaxSnapshotLength)) : null;
        r.EnsureEnd("ledger snapshot");
        if ((tip is null) != (height == 0) || (tip is not null && tip.Height != height))
            throw new DecodeException(DecodeError.ValueOutOfRange, $"a ledger snapshot at height {height} with tip block {tip?.Height}");
        return new LedgerSnapshot(height, appHash, state, schedule, tip);
    }
}
