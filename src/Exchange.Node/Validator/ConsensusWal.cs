using System.Buffers.Binary;
using System.Security.Cryptography;
using Exchange.Core.Ledger.Codec;

namespace Exchange.Node.Validator;

/// <summary>
/// The consensus write-ahead log of the height the validator is deciding (CometBFT's consensus WAL): every input
/// the core took in at that height, in order, and every proposal and vote the validator signed. A restarted
/// validator replays it through a fresh core and is back in the round and step it left, with its lock. Peers'
/// messages the core refused without effect (bad signature, unknown validator...) are left out.
/// <list type="bullet">
/// <item>Records are appended, buffered, before anything they caused leaves the node; <see cref="Sync"/> makes them
/// durable. The node syncs before it sends an own message, so whatever made it vote (for a precommit: the proof of
/// lock it locked on) is on disk before the vote leaves.</item>
/// <item>Only one height is kept: <see cref="Begin"/> replaces the file atomically with an empty log of the new
/// height (<see cref="DurableFile.Replace"/>); the blocks of earlier heights are the ledger's.</item>
/// <item>A record cut short or failing its checksum ends the log: a crash can tear the last append. The file
/// is truncated there before new records go after it, and <see cref="IgnoredBytes"/> says how much was cut.
/// Losing a torn tail is safe: the sign-state store still refuses to sign against anything already sent.</item>
/// <item>A header that does not parse, or a record that passes its checksum but does not decode, means the file
/// was damaged or written by another version: <see cref="Open"/> throws rather than guess.</item>
/// </list>
/// <para>Layout: magic <c>EXWALv01</c>, height (8 bytes big-endian), SHA-256 of those 16 bytes (first 8 bytes);
/// then records of length (4 bytes big-endian), SHA-256 of the payload (first 8 bytes), payload
/// (<see cref="WalEntry.Encode"/>).</para>
/// </summary>
public sealed class ConsensusWal : IDisposable
{
    public const string FileName = "consensus.wal";
    private static readonly byte[] Magic = "EXWALv01"u8.ToArray();
    private const int HeaderLength = 8 + 8 + 8;
    private const int RecordHeaderLength = 4 + 8;

    private readonly List<WalEntry> _entries;
    private FileStream? _stream;

    public string Path { get; }

    /// <summary>The height this log belongs to; zero before the first <see cref="Begin"/>.</summary>
    public ulong Height { get; private set; }

    /// <summary>The records read at <see cref="Open"/> for <see cref="Height"/>, followed by those appended since.</summary>
    public IReadOnlyList<WalEntry> Entries => _entries;

    /// <summary>Bytes of a torn or damaged tail cut off at <see cref="Open"/>.</summary>
    public long IgnoredBytes { get; }

    private ConsensusWal(string path, ulong height, List<WalEntry> entries, long validLength, long ignored)
    {
        Path = path;
        Height = height;
        _entries = entries;
        IgnoredBytes = ignored;
        if (height == 0) return;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
        if (ignored > 0)
        {
            _stream.SetLength(validLength);
            _stream.Flush(flushToDisk: true);
        }
        _stream.Seek(validLength, SeekOrigin.Begin);
    }

    /// <summary>Reads the log at <paramref name="path"/> (none yet is an empty log of height zero).</summary>
    public static ConsensusWal Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.Delete(DurableFile.TempPathOf(full));
        if (!File.Exists(full)) return new ConsensusWal(full, 0, [], 0, 0);
        var bytes = File.ReadAllBytes(full);
        var height = ReadHeader(full, bytes);
        var entries = new List<WalEntry>();
        var at = HeaderLength;
        while (TryReadRecord(bytes, at, out var payload, out var next))
        {
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
        return new ConsensusWal(full, height, entries, at, bytes.Length - at);
    }

    /// <summary>Starts the log of <paramref name="height"/>, durably replacing whatever was there.</summary>
    public void Begin(ulong height)
    {
        ArgumentOutOfRangeException.ThrowIfZero(height);
        _stream?.Dispose();
        _stream = null;
        var header = new byte[HeaderLength];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(8), height);
        Checksum(header.AsSpan(0, 16), header.AsSpan(16));
        DurableFile.Replace(Path, header);
        _entries.Clear();
        Height = height;
        _stream = new FileStream(Path, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
        _stream.Seek(HeaderLength, SeekOrigin.Begin);
    }

    /// <summary>Appends a record to the buffer; durable after the next <see cref="Sync"/>.</summary>
    public void Append(WalEntry entry)
    {
        var stream = _stream ?? throw new InvalidOperationException("the WAL has no height; call Begin first");
        var payload = entry.Encode();
        Span<byte> header = stackalloc byte[RecordHeaderLength];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)payload.Length);
        Checksum(payload, header[4..]);
        stream.Write(header);
        stream.Write(payload);
        _entries.Add(entry);
    }

    /// <summary>Writes the buffered records and fsyncs them.</summary>
    public void Sync() => _stream?.Flush(flushToDisk: true);

    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
    }

    private static ulong ReadHeader(string path, byte[] bytes)
    {
        Span<byte> digest = stackalloc byte[8];
        if (bytes.Length >= HeaderLength) Checksum(bytes.AsSpan(0, 16), digest);
        if (bytes.Length < HeaderLength || !bytes.AsSpan(0, 8).SequenceEqual(Magic) || !digest.SequenceEqual(bytes.AsSpan(16, 8)))
            throw new ValidatorStateException(
                $"consensus WAL {path} has no valid header; it is replaced atomically, so this is disk damage or a foreign file. Moving it " +
                "away lets the validator start: its sign state still prevents double signing, but it forgets its lock in this height");
        var height = BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8));
        if (height == 0) throw new ValidatorStateException($"consensus WAL {path} names height 0");
        return height;
    }

    private static bool TryReadRecord(byte[] bytes, int at, out ReadOnlySpan<byte> payload, out int next)
    {
        payload = default;
        next = at;
        if (bytes.Length - at < RecordHeaderLength) return false;
        var length = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
        if (length == 0 || length > WalEntry.MaxEncodedLength || length > bytes.Length - at - RecordHeaderLength) return false;
        var body = bytes.AsSpan(at + RecordHeaderLength, (int)length);
        Span<byte> digest = stackalloc byte[8];
        Checksum(body, digest);
        if (!digest.SequenceEqual(bytes.AsSpan(at + 4, 8))) return false;
        payload = body;
        next = at + RecordHeaderLength + (int)length;
        return true;
    }

    private static void Checksum(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[32];
        SHA256.HashData(data, full);
        full[..8].CopyTo(destination);
    }
}
