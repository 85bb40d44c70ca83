using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Exchange.Consensus;
using Exchange.Core.Ledger.Codec;
using Microsoft.Win32.SafeHandles;

namespace Exchange.Node.Validator;

/// <summary>
/// The consensus write-ahead log of the height the validator is deciding (CometBFT's consensus WAL): every input
/// the core took in at that height, in order, and every proposal and vote the validator signed. A restarted
/// validator replays it through a fresh core and is back in the round and step it left, with its lock. Peers'
/// messages the core refused without effect (bad signature, unknown validator...) are left out.
/// <list type="bullet">
/// <item>Records are appended to a buffer before anything they caused leaves the node; <see cref="Sync"/> writes
/// them in one write and fdatasyncs them. The node syncs before it sends an own message, so whatever made it vote
/// (for a precommit: the proof of lock it locked on) is on disk before the vote leaves.</item>
/// <item>Only one height is kept, in one file reused from height to height: <see cref="Begin"/> overwrites the
/// header with the new height and an end mark, in place, and the next <see cref="Sync"/> makes it durable with the
/// height's first records. The header also carries the validator's sign state as the height starts
/// (<see cref="Carried"/>): the own messages of the height before, which journaled it, are about to be overwritten,
/// and this way the sign-state file need not be synced first. Header and end mark are one write within the first
/// sector. Until the sync a crash leaves the old header or the new one, each with what it needs:
/// what the older heights left behind lies after the end mark and is never read, and even without the mark it
/// could not be, because every record's checksum covers the height it was written for. (Replacing the file per
/// height, by temporary file and rename, cost three fsyncs and freeing the old file's blocks.) The blocks of
/// earlier heights are the ledger's.</item>
/// <item>A record cut short or failing its checksum ends the log: a crash can tear the last write. The file is
/// truncated there, and <see cref="IgnoredBytes"/> says how much was cut. Losing a torn tail is safe: the
/// sign-state store still refuses to sign against anything already sent.</item>
/// <item>A header that does not parse, or a record that passes its checksum but does not decode, means the file
/// was damaged or written by another version: <see cref="Open"/> throws rather than guess.</item>
/// </list>
/// <para>Layout (big-endian): a header of <see cref="HeaderLength"/> bytes: magic <c>EXWALv03</c>, height (8), whether
/// a sign state is carried (1), the carried state or zeros (height 8, round 4, step 1, signed message's hash 32,
/// signature 64), and the first 8 bytes of SHA-256 over all of that; then records of length (4, never 0), the first
/// 8 bytes of SHA-256 over the height (8) and the payload, and the payload (<see cref="WalEntry.Encode"/>); then an
/// end mark, a length of 0. The layouts before it are still read, and rewritten in this one when opened:
/// <c>EXWALv02</c> (a 24-byte header of magic, height and checksum, carrying nothing) and <c>EXWALv01</c> (the same
/// header, checksums over the payload alone, no end mark).</para>
/// </summary>
public sealed class ConsensusWal : IDisposable
{
    public const string FileName = "consensus.wal";
    private static readonly byte[] Magic = "EXWALv03"u8.ToArray();
    private static readonly byte[] MagicV2 = "EXWALv02"u8.ToArray();
    private static readonly byte[] MagicV1 = "EXWALv01"u8.ToArray();
    private const int HeaderBodyLength = 8 + 8 + 1 + SignStateCodec.Length;
    private const int OldHeaderLength = 8 + 8 + 8;
    private const int RecordHeaderLength = 4 + 8;

    /// <summary>Bytes of the header: records start here. With the end mark it fits in one 512-byte sector.</summary>
    public const int HeaderLength = HeaderBodyLength + 8;

    /// <summary>The bytes of the end mark that follows the last record: a record length of zero.</summary>
    public const int EndMarkLength = 4;

    private readonly List<WalEntry> _entries;
    private readonly ArrayBufferWriter<byte> _pending = new(4096);
    private readonly CanonicalWriter _scratch = new(4096);
    private SafeFileHandle? _file;
    /// <summary>Where the next record goes: the end mark's offset.</summary>
    private long _end;
    /// <summary>A header written by <see cref="Begin"/> that no sync has covered yet.</summary>
    private bool _headerUnsynced;

    public string Path { get; }

    /// <summary>The height this log belongs to; zero before the first <see cref="Begin"/>.</summary>
    public ulong Height { get; private set; }

    /// <summary>The sign state the validator had when this height began (what <see cref="Begin"/> was given); null if none.</summary>
    public LastSignState? Carried { get; private set; }

    /// <summary>The records read at <see cref="Open"/> for <see cref="Height"/>, followed by those appended since.</summary>
    public IReadOnlyList<WalEntry> Entries => _entries;

    /// <summary>Bytes of a torn or damaged tail cut off at <see cref="Open"/>.</summary>
    public long IgnoredBytes { get; }

    private ConsensusWal(string path, ulong height, LastSignState? carried, List<WalEntry> entries, long end, long ignored)
    {
        Path = path;
        Height = height;
        Carried = carried;
        _entries = entries;
        IgnoredBytes = ignored;
        _end = end;
        if (height == 0) return;
        _file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        if (ignored > 0)
        {
            RandomAccess.SetLength(_file, end);
            RandomAccess.FlushToDisk(_file);
        }
    }

    /// <summary>Reads the log at <paramref name="path"/> (none yet is an empty log of height zero).</summary>
    public static ConsensusWal Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.Delete(DurableFile.TempPathOf(full));
        if (!File.Exists(full)) return new ConsensusWal(full, 0, null, [], 0, 0);
        var bytes = File.ReadAllBytes(full);
        var version = bytes.Length < 8 ? 0 : bytes.AsSpan(0, 8).SequenceEqual(MagicV1) ? 1 : bytes.AsSpan(0, 8).SequenceEqual(MagicV2) ? 2 : 3;
        var (height, carried) = version == 3 ? ReadHeader(full, bytes) : (ReadOldHeader(full, bytes, version == 1 ? MagicV1 : MagicV2), null);
        var legacy = version == 1;
        var entries = new List<WalEntry>();
        var at = version == 3 ? HeaderLength : OldHeaderLength;
        var cleanEnd = false;
        while (true)
        {
            var read = TryReadRecord(bytes, at, legacy ? null : height, out var payload, out var next);
            if (read != RecordRead.Record)
            {
                cleanEnd = read == RecordRead.End;
                break;
            }
            try
            {
                entries.Add(WalEntry.Decode(payload));
            }
            catch (DecodeException e)
            {
                throw new ValidatorStateException(
                    $"consensus WAL {full}: record at byte {at} has a valid checksum but does not decode ({e.Message}); it was written by another " +
                    "version or the disk is damaged. Moving the file away lets the validator start: its sign state still prevents double " +
                    "signing, but it forgets its lock in this height", e);
            }
            at = next;
        }
        var ignored = cleanEnd ? 0 : bytes.Length - at;
        if (version == 3) return new ConsensusWal(full, height, carried, entries, at, ignored);
        // One durable rewrite in this version's layout; appends then go on in place.
        var wal = new ConsensusWal(full, 0, null, entries, 0, ignored);
        wal.Create(height, null, entries);
        return wal;
    }

    /// <summary>
    /// Starts the log of <paramref name="height"/> in place of whatever was there, carrying the validator's sign state
    /// <paramref name="carried"/> in its header; durable with the next <see cref="Sync"/>.
    /// </summary>
    public void Begin(ulong height, LastSignState? carried = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(height);
        _pending.Clear();
        _entries.Clear();
        if (_file is null)
        {
            Create(height, carried, []);
            return;
        }
        Span<byte> start = stackalloc byte[HeaderLength + EndMarkLength];
        WriteHeader(height, carried, start);
        start[HeaderLength..].Clear();
        RandomAccess.Write(_file, start, 0);
        Height = height;
        Carried = carried;
        _end = HeaderLength;
        _headerUnsynced = true;
    }

    /// <summary>Writes a whole new file for <paramref name="height"/> holding <paramref name="entries"/> (temporary file and rename).</summary>
    private void Create(ulong height, LastSignState? carried, IReadOnlyList<WalEntry> entries)
    {
        _file?.Dispose();
        _file = null;
        var image = new ArrayBufferWriter<byte>();
        WriteHeader(height, carried, image.GetSpan(HeaderLength));
        image.Advance(HeaderLength);
        foreach (var entry in entries) WriteRecord(height, entry, image);
        var end = image.WrittenCount;
        image.GetSpan(EndMarkLength)[..EndMarkLength].Clear();
        image.Advance(EndMarkLength);
        DurableFile.Replace(Path, image.WrittenSpan);
        Height = height;
        Carried = carried;
        _end = end;
        _file = File.OpenHandle(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
    }

    /// <summary>Appends a record to the buffer; durable after the next <see cref="Sync"/>.</summary>
    public void Append(WalEntry entry)
    {
        if (_file is null) throw new InvalidOperationException("the WAL has no height; call Begin first");
        WriteRecord(Height, entry, _pending);
        _entries.Add(entry);
    }

    /// <summary>Writes the buffered records, with the end mark after them, and fdatasyncs them with the header.</summary>
    public void Sync()
    {
        if (_file is null || (_pending.WrittenCount == 0 && !_headerUnsynced)) return;
        if (_pending.WrittenCount > 0) WritePending(_file);
        DurableFile.SyncData(_file);
        _headerUnsynced = false;
    }

    private void WritePending(SafeFileHandle file)
    {
        _pending.GetSpan(EndMarkLength)[..EndMarkLength].Clear();
        var records = _pending.WrittenCount;
        _pending.Advance(EndMarkLength);
        RandomAccess.Write(file, _pending.WrittenSpan, _end);
        _end += records;
        _pending.ResetWrittenCount();
    }

    /// <summary>Writes what is buffered (without waiting for the disk, as closing a file does) and closes the log.</summary>
    public void Dispose()
    {
        if (_file is not null && _pending.WrittenCount > 0) WritePending(_file);
        _file?.Dispose();
        _file = null;
    }

    private static void WriteHeader(ulong height, LastSignState? carried, Span<byte> header)
    {
        header[..HeaderLength].Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt64BigEndian(header[8..], height);
        if (carried is { } state)
        {
            header[16] = 1;
            SignStateCodec.Write(state, header[17..]);
        }
        Checksum(header[..HeaderBodyLength], header[HeaderBodyLength..HeaderLength]);
    }

    private void WriteRecord(ulong height, WalEntry entry, IBufferWriter<byte> output)
    {
        // One writer for every record: a proposal's block is a few hundred kilobytes at peak, and a fresh buffer for
        // each (and a copy of it) cost the large-object heap two such arrays per record.
        _scratch.Reset();
        entry.WriteTo(_scratch);
        var payload = _scratch.Written;
        var span = output.GetSpan(RecordHeaderLength + payload.Length);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)payload.Length);
        // Laid out where the checksum and payload go, so the covered bytes are hashed in one call (a hash object per
        // record cost more than the hashing); the checksum then overwrites the height.
        var covered = CoverRecord(span[4..], height, payload);
        Checksum(covered, covered[..8]);
        output.Advance(RecordHeaderLength + payload.Length);
    }

    private static (ulong Height, LastSignState? Carried) ReadHeader(string path, byte[] bytes)
    {
        Span<byte> digest = stackalloc byte[8];
        if (bytes.Length >= HeaderLength) Checksum(bytes.AsSpan(0, HeaderBodyLength), digest);
        if (bytes.Length < HeaderLength || !bytes.AsSpan(0, 8).SequenceEqual(Magic) || !digest.SequenceEqual(bytes.AsSpan(HeaderBodyLength, 8)))
            throw BadHeader(path);
        var height = BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8));
        if (height == 0) throw new ValidatorStateException($"consensus WAL {path} names height 0");
        var flag = bytes[16];
        if (flag > 1) throw BadHeader(path);
        if (flag == 0) return (height, null);
        return (height, SignStateCodec.Read(bytes.AsSpan(17, SignStateCodec.Length)) ?? throw BadHeader(path));
    }

    private static ulong ReadOldHeader(string path, byte[] bytes, byte[] magic)
    {
        Span<byte> digest = stackalloc byte[8];
        if (bytes.Length >= OldHeaderLength) Checksum(bytes.AsSpan(0, 16), digest);
        if (bytes.Length < OldHeaderLength || !bytes.AsSpan(0, 8).SequenceEqual(magic) || !digest.SequenceEqual(bytes.AsSpan(16, 8)))
            throw BadHeader(path);
        var height = BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8));
        if (height == 0) throw new ValidatorStateException($"consensus WAL {path} names height 0");
        return height;
    }

    private static ValidatorStateException BadHeader(string path) => new(
        $"consensus WAL {path} has no valid header; it is written in one sector with a checksum, so this is disk damage or a foreign file. " +
        "Moving it away lets the validator start: its sign state still prevents double signing, but it forgets its lock in this height");

    private enum RecordRead { Record, End, Torn }

    /// <param name="height">The height the checksums cover; null for the older layout, whose checksums cover the payload alone.</param>
    private static RecordRead TryReadRecord(byte[] bytes, int at, ulong? height, out ReadOnlySpan<byte> payload, out int next)
    {
        payload = default;
        next = at;
        // The file ending on a record boundary is a clean end as well: the older layout, or a tail cut off at opening.
        if (at == bytes.Length) return RecordRead.End;
        if (bytes.Length - at < 4) return RecordRead.Torn;
        var length = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
        if (length == 0 && height is not null) return RecordRead.End;
        if (length == 0 || length > WalEntry.MaxEncodedLength || length > bytes.Length - at - RecordHeaderLength) return RecordRead.Torn;
        var body = bytes.AsSpan(at + RecordHeaderLength, (int)length);
        Span<byte> digest = stackalloc byte[8];
        if (height is { } h)
        {
            // Read once, at start-up: the covered bytes are laid out in a rented buffer, exactly as the writer hashed them.
            var rented = ArrayPool<byte>.Shared.Rent(8 + body.Length);
            Checksum(CoverRecord(rented, h, body), digest);
            ArrayPool<byte>.Shared.Return(rented);
        }
        else Checksum(body, digest);
        if (!digest.SequenceEqual(bytes.AsSpan(at + 4, 8))) return RecordRead.Torn;
        payload = body;
        next = at + RecordHeaderLength + (int)length;
        return RecordRead.Record;
    }

    /// <summary>What a record's checksum covers, laid out at the start of <paramref name="into"/>: the height, then the payload.</summary>
    private static Span<byte> CoverRecord(Span<byte> into, ulong height, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt64BigEndian(into, height);
        payload.CopyTo(into[8..]);
        return into[..(8 + payload.Length)];
    }

    private static void Checksum(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[32];
        SHA256.HashData(data, full);
        full[..8].CopyTo(destination);
    }
}
