using System.Buffers.Binary;
using System.Security.Cryptography;
using Exchange.Consensus;
using Exchange.Core.Crypto;

namespace Exchange.Node.Validator;

/// <summary>Raised when the validator's durable state cannot be trusted or used; the message says what is wrong and what to do.</summary>
public sealed class ValidatorStateException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The last signed (height, round, step) of one validator key, on disk (CometBFT's priv_validator_state.json).
/// <see cref="PrivValidator"/> refuses to sign below it, so this file is what stops a restarted validator from
/// double-signing: it must never be lost, rolled back or shared by two running processes.
/// <list type="bullet">
/// <item><see cref="Save"/> replaces the file atomically and durably (<see cref="DurableFile.Replace"/>: temporary
/// file, fsync, rename, fsync of the directory) and returns only then, because the signature is sent right after.</item>
/// <item>The file is read once, by <see cref="Open"/>; afterwards <see cref="Load"/> answers from memory.</item>
/// <item>A file that does not parse, fails its checksum or belongs to another key is refused with a
/// <see cref="ValidatorStateException"/>: the validator does not start. It is never silently reset, because a
/// reset store would let the key sign again at heights it has signed.</item>
/// <item>A missing file means the key has never signed. Moving a validator to a new machine means moving this
/// file with the key.</item>
/// <item>While open, the store holds an exclusive lock on <c>&lt;path&gt;.lock</c>, so a second process over the
/// same directory fails to open it instead of signing beside the first.</item>
/// <item>A failed <see cref="Save"/> leaves the store refusing every later save until the process restarts and
/// reads the file again: after an I/O error, memory and disk may disagree.</item>
/// </list>
/// <para>Layout (181 bytes, big-endian): magic <c>EXSIGNv1</c>; the validator's public key (32); height (8);
/// round (4); step (1); the signed message's hash (32); the signature (64); SHA-256 of everything before (32).</para>
/// </summary>
public sealed class FileSignStateStore : ISignStateStore, IDisposable
{
    public const string FileName = "sign-state.bin";
    private static readonly byte[] Magic = "EXSIGNv1"u8.ToArray();
    private const int BodyLength = 8 + PublicKey.Length + 8 + 4 + 1 + 32 + Signature.Length;
    public const int FileLength = BodyLength + 32;

    private readonly PublicKey _owner;
    private readonly FileStream _lock;
    private LastSignState? _state;
    private bool _faulted;

    public string Path { get; }

    private FileSignStateStore(string path, PublicKey owner, FileStream lockFile, LastSignState? state)
    {
        Path = path;
        _owner = owner;
        _lock = lockFile;
        _state = state;
    }

    /// <summary>
    /// Opens the store at <paramref name="path"/> for the key <paramref name="owner"/>, creating its directory if
    /// needed and reading the last signed state. Throws <see cref="ValidatorStateException"/> when the file is
    /// corrupt, belongs to another key, or another process has the store open.
    /// </summary>
    public static FileSignStateStore Open(string path, PublicKey owner)
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
            var state = File.Exists(full) ? Parse(full, File.ReadAllBytes(full), owner) : null;
            return new FileSignStateStore(full, owner, lockFile, state);
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
        if (_faulted) throw new ValidatorStateException($"sign state {Path}: an earlier save failed; restart the validator so it reads the file again");
        try
        {
            DurableFile.Replace(Path, Encode(_owner, state));
        }
        catch (Exception e)
        {
            _faulted = true;
            throw new ValidatorStateException($"sign state {Path} could not be saved durably: {e.Message}", e);
        }
        _state = state;
    }

    public void Dispose() => _lock.Dispose();

    public static byte[] Encode(PublicKey owner, LastSignState state)
    {
        var bytes = new byte[FileLength];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        owner.CopyTo(span[8..]);
        var at = 8 + PublicKey.Length;
        BinaryPrimitives.WriteUInt64BigEndian(span[at..], state.Height);
        BinaryPrimitives.WriteUInt32BigEndian(span[(at + 8)..], state.Round);
        span[at + 12] = (byte)state.Step;
        state.SigningHash.CopyTo(span[(at + 13)..]);
        state.Signature.CopyTo(span[(at + 45)..]);
        SHA256.HashData(span[..BodyLength], span[BodyLength..]);
        return bytes;
    }

    private static LastSignState Parse(string path, byte[] bytes, PublicKey owner)
    {
        const string advice = "the validator will not start: restore the file from a backup of this machine, or, only if you are certain " +
            "this key has signed nothing at or above the heights the chain has reached, move it away and start again";
        if (bytes.Length != FileLength)
            throw new ValidatorStateException($"sign state {path} is corrupt: {bytes.Length} bytes, expected {FileLength}; {advice}");
        var span = bytes.AsSpan();
        if (!span[..8].SequenceEqual(Magic))
            throw new ValidatorStateException($"sign state {path} is not a sign-state file of this version; {advice}");
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(span[..BodyLength], digest);
        if (!digest.SequenceEqual(span[BodyLength..]))
            throw new ValidatorStateException($"sign state {path} is corrupt: its checksum does not match; {advice}");
        var key = new PublicKey(span.Slice(8, PublicKey.Length));
        if (key != owner)
            throw new ValidatorStateException($"sign state {path} belongs to validator {key}, not to this node's key {owner}; point the node at its own data directory");
        var at = 8 + PublicKey.Length;
        var step = span[at + 12];
        if (step is < (byte)SignStep.Propose or > (byte)SignStep.Precommit)
            throw new ValidatorStateException($"sign state {path} is corrupt: unknown step {step}; {advice}");
        return new LastSignState(
            BinaryPrimitives.ReadUInt64BigEndian(span[at..]),
            BinaryPrimitives.ReadUInt32BigEndian(span[(at + 8)..]),
            (SignStep)step,
            new Hash32(span.Slice(at + 13, 32)),
            new Signature(span.Slice(at + 45, Signature.Length)));
    }
}
