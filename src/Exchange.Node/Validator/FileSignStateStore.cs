using System.Buffers.Binary;
using System.Security.Cryptography;
using Exchange.Consensus;
using Exchange.Core.Crypto;
using Microsoft.Win32.SafeHandles;

namespace Exchange.Node.Validator;

/// <summary>Raised when the validator's durable state cannot be trusted or used; the message says what is wrong and what to do.</summary>
public sealed class ValidatorStateException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The last signed (height, round, step) of one validator key, on disk (CometBFT's priv_validator_state.json).
/// <see cref="PrivValidator"/> refuses to sign below it, so this file is what stops a restarted validator from
/// double-signing: it must never be lost, rolled back or shared by two running processes.
/// <list type="bullet">
/// <item><see cref="Save"/> returns only once the new state is on disk, because the signature is sent right after.
/// The file has two slots, and a save overwrites the one not holding the newest state, in place, with one
/// fdatasync: a crash mid-save tears at most that slot, and the other still holds the state before it, whose
/// signature is the last that can have left. (Replacing the whole file each time, by temporary file and rename,
/// cost two fsyncs, a directory fsync and freeing the old file's blocks, two or three times per height.)</item>
/// <item>Opened with <c>deferSync</c>, a save only writes, and <see cref="Sync"/> waits for the disk. The validator
/// does that because its consensus WAL already holds every proposal and vote it signed, synced before it is sent:
/// the WAL is this file's journal (<see cref="CatchUp"/> reads it back after a crash). When the WAL moves to the next
/// height and overwrites those messages, its new header carries the state on (<see cref="ConsensusWal.Carried"/>),
/// durable before the next signature leaves, so the file is synced only when the validator stops.</item>
/// <item>The first save, and the first after reading a file of the older one-slot layout, creates the file whole
/// (<see cref="DurableFile.Replace"/>: temporary file, fsync, rename, fsync of the directory).</item>
/// <item>The file is read once, by <see cref="Open"/>; afterwards <see cref="Load"/> answers from memory.</item>
/// <item>A file that has no slot passing its checksum, is of an unknown layout, or belongs to another key is refused
/// with a <see cref="ValidatorStateException"/>: the validator does not start. It is never silently reset, because a
/// reset store would let the key sign again at heights it has signed.</item>
/// <item>A missing file means the key has never signed. Moving a validator to a new machine means moving this
/// file with the key.</item>
/// <item>While open, the store holds an exclusive lock on <c>&lt;path&gt;.lock</c>, so a second process over the
/// same directory fails to open it instead of signing beside the first.</item>
/// <item>A failed <see cref="Save"/> leaves the store refusing every later save until the process restarts and
/// reads the file again: after an I/O error, memory and disk may disagree.</item>
/// </list>
/// <para>Layout (<see cref="FileLength"/> bytes): two slots at offsets 0 and <see cref="SlotStride"/>, each on a
/// sector of its own; an unused slot is zeros. A slot (189 bytes, big-endian): magic <c>EXSIGNv2</c>; a save counter
/// (8), the newer slot has the higher; the validator's public key (32); height (8); round (4); step (1); the signed
/// message's hash (32); the signature (64); SHA-256 of everything before (32). The one-slot layout it replaces
/// (<c>EXSIGNv1</c>, 181 bytes, no counter) is still read.</para>
/// </summary>
public sealed class FileSignStateStore : ISignStateStore, IDisposable
{
    public const string FileName = "sign-state.bin";
    private static readonly byte[] Magic = "EXSIGNv2"u8.ToArray();
    private static readonly byte[] MagicV1 = "EXSIGNv1"u8.ToArray();
    private const int StateLength = PublicKey.Length + SignStateCodec.Length;
    private const int SlotBodyLength = 8 + 8 + StateLength;
    private const int SlotLength = SlotBodyLength + 32;
    private const int V1BodyLength = 8 + StateLength;
    private const int V1FileLength = V1BodyLength + 32;

    /// <summary>Bytes from one slot's start to the next's: a 512-byte sector each, so one torn write cannot reach both.</summary>
    public const int SlotStride = 512;

    public const int FileLength = 2 * SlotStride;

    private const string Advice = "the validator will not start: restore the file from a backup of this machine, or, only if you are certain " +
        "this key has signed nothing at or above the heights the chain has reached, move it away and start again";

    private readonly PublicKey _owner;
    private readonly FileStream _lock;
    private LastSignState? _state;
    /// <summary>Open for in-place saves once the file has the two-slot layout; null before the first save.</summary>
    private SafeFileHandle? _file;
    private ulong _counter;
    private int _newestSlot;
    private readonly bool _deferSync;
    /// <summary>A deferred save has been written but not yet synced.</summary>
    private bool _unsynced;
    private bool _faulted;

    public string Path { get; }

    private FileSignStateStore(string path, PublicKey owner, FileStream lockFile, Slot? newest, bool twoSlots, bool deferSync)
    {
        Path = path;
        _deferSync = deferSync;
        _owner = owner;
        _lock = lockFile;
        _state = newest?.State;
        _counter = newest?.Counter ?? 0;
        _newestSlot = newest?.Index ?? 0;
        if (twoSlots) _file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
    }

    /// <summary>
    /// Opens the store at <paramref name="path"/> for the key <paramref name="owner"/>, creating its directory if
    /// needed and reading the last signed state. Throws <see cref="ValidatorStateException"/> when the file is
    /// corrupt, belongs to another key, or another process has the store open.
    /// </summary>
    /// <param name="deferSync">Saves only write; <see cref="Sync"/> makes them durable (see the class remarks for when that is safe).</param>
    public static FileSignStateStore Open(string path, PublicKey owner, bool deferSync = false)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(full + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new ValidatorStateException($"sign state {full} is in use by another process; two validators must never share one key's state", e);
        }
        try
        {
            // A temporary file is left only by a crash before its rename; the file it was to replace is still whole.
            File.Delete(DurableFile.TempPathOf(full));
            if (!File.Exists(full)) return new FileSignStateStore(full, owner, lockFile, null, twoSlots: false, deferSync);
            var bytes = File.ReadAllBytes(full);
            if (bytes.Length == V1FileLength && bytes.AsSpan(0, 8).SequenceEqual(MagicV1))
                return new FileSignStateStore(full, owner, lockFile, ParseV1(full, bytes, owner), twoSlots: false, deferSync);
            return new FileSignStateStore(full, owner, lockFile, Parse(full, bytes, owner), twoSlots: true, deferSync);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    public LastSignState? Load() => _state;

    public void Save(LastSignState state)
    {
        ThrowIfFaulted();
        try
        {
            var counter = _counter + 1;
            if (_file is null)
            {
                var image = new byte[FileLength];
                EncodeSlot(_owner, counter, state, image);
                DurableFile.Replace(Path, image);
                _file = File.OpenHandle(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
                _newestSlot = 0;
            }
            else
            {
                var slot = 1 - _newestSlot;
                Span<byte> bytes = stackalloc byte[SlotLength];
                EncodeSlot(_owner, counter, state, bytes);
                RandomAccess.Write(_file, bytes, (long)slot * SlotStride);
                if (_deferSync) _unsynced = true;
                else DurableFile.SyncData(_file);
                _newestSlot = slot;
            }
            _counter = counter;
        }
        catch (Exception e)
        {
            _faulted = true;
            throw new ValidatorStateException($"sign state {Path} could not be saved durably: {e.Message}", e);
        }
        _state = state;
    }

    private void ThrowIfFaulted()
    {
        if (_faulted) throw new ValidatorStateException($"sign state {Path}: an earlier save failed; restart the validator so it reads the file again");
    }

    /// <summary>Waits until every save so far is on disk; nothing to do when none is pending.</summary>
    public void Sync()
    {
        if (!_unsynced || _file is null) return;
        ThrowIfFaulted();
        try
        {
            DurableFile.SyncData(_file);
        }
        catch (Exception e)
        {
            _faulted = true;
            throw new ValidatorStateException($"sign state {Path} could not be synced: {e.Message}", e);
        }
        _unsynced = false;
    }

    /// <summary>
    /// Raises the stored state to <paramref name="signed"/>, durably, when that is above it: how a validator restarted
    /// with a deferred store takes back what its WAL shows it signed after the file's last sync. Returns whether it did.
    /// </summary>
    public bool CatchUp(LastSignState signed)
    {
        if (_state is { } last && last.CompareTo(signed.Height, signed.Round, signed.Step) >= 0) return false;
        Save(signed);
        Sync();
        return true;
    }

    /// <summary>Syncs a deferred save (a clean stop leaves nothing to catch up) and releases the file and its lock.</summary>
    public void Dispose()
    {
        if (!_faulted && _unsynced && _file is not null)
        {
            try { DurableFile.SyncData(_file); } catch (IOException) { }   // the WAL still holds what was signed
        }
        _file?.Dispose();
        _lock.Dispose();
    }

    private sealed record Slot(int Index, ulong Counter, LastSignState State);

    private static void EncodeSlot(PublicKey owner, ulong counter, LastSignState state, Span<byte> destination)
    {
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], counter);
        WriteState(owner, state, destination[16..]);
        SHA256.HashData(destination[..SlotBodyLength], destination[SlotBodyLength..SlotLength]);
    }

    private static void WriteState(PublicKey owner, LastSignState state, Span<byte> span)
    {
        owner.CopyTo(span);
        SignStateCodec.Write(state, span[PublicKey.Length..]);
    }

    /// <summary>The newer of the slots that pass their checksum; at least one must.</summary>
    private static Slot Parse(string path, byte[] bytes, PublicKey owner)
    {
        if (bytes.Length != FileLength)
            throw new ValidatorStateException($"sign state {path} is corrupt: {bytes.Length} bytes, expected {FileLength}; {Advice}");
        Slot? newest = null;
        var used = 0;
        for (var index = 0; index < 2; index++)
        {
            var span = bytes.AsSpan(index * SlotStride, SlotLength);
            if (!span.ContainsAnyExcept((byte)0)) continue;     // never written
            used++;
            if (!span[..8].SequenceEqual(Magic))
                throw new ValidatorStateException($"sign state {path} is not a sign-state file of this version; {Advice}");
            // A slot failing its checksum was torn by a crash during its save, whose signature never left: the other
            // slot holds the state before it.
            if (!ChecksumMatches(span[..SlotBodyLength], span[SlotBodyLength..])) continue;
            var slot = new Slot(index, BinaryPrimitives.ReadUInt64BigEndian(span[8..]), ReadState(path, span[16..SlotBodyLength], owner));
            if (newest is null || slot.Counter > newest.Counter) newest = slot;
        }
        if (used == 0) throw new ValidatorStateException($"sign state {path} is corrupt: both slots are empty; {Advice}");
        return newest ?? throw new ValidatorStateException($"sign state {path} is corrupt: no slot passes its checksum; {Advice}");
    }

    private static Slot ParseV1(string path, byte[] bytes, PublicKey owner)
    {
        if (!ChecksumMatches(bytes.AsSpan(0, V1BodyLength), bytes.AsSpan(V1BodyLength)))
            throw new ValidatorStateException($"sign state {path} is corrupt: its checksum does not match; {Advice}");
        return new Slot(0, 0, ReadState(path, bytes.AsSpan(8, StateLength), owner));
    }

    private static bool ChecksumMatches(ReadOnlySpan<byte> body, ReadOnlySpan<byte> checksum)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(body, digest);
        return digest.SequenceEqual(checksum);
    }

    private static LastSignState ReadState(string path, ReadOnlySpan<byte> span, PublicKey owner)
    {
        var key = new PublicKey(span[..PublicKey.Length]);
        if (key != owner)
            throw new ValidatorStateException($"sign state {path} belongs to validator {key}, not to this node's key {owner}; point the node at its own data directory");
        var state = span[PublicKey.Length..];
        return SignStateCodec.Read(state)
            ?? throw new ValidatorStateException($"sign state {path} is corrupt: unknown step {state[12]}; {Advice}");
    }
}
