using Exchange.Core.Crypto;

namespace Exchange.Node.Crypto;

/// <summary>
/// Public keys this process has parsed for libsecp256k1, so a signature by a key seen before is verified without lifting
/// the key to a curve point again (a field square root: about 4.5 µs of a 37 µs verification on the machine of
/// docs/benchmarks.md). Traders and validators sign many transactions and votes each, so almost every check hits.
/// </summary>
/// <remarks>
/// A fixed number of slots, each holding the last key whose bytes pick it: lookups and inserts take no lock, since a slot
/// is swapped whole (an immutable entry), and memory stays bounded however many keys arrive. A key that loses its slot
/// is only parsed again. Keys that fail to parse are not kept; their signatures are refused as
/// <see cref="SignatureCheck.InvalidPublicKey"/> each time, as <see cref="Schnorr.Verify(in PublicKey, in Hash32, in Signature)"/> refuses them.
/// </remarks>
public sealed class ParsedKeys
{
    /// <summary>Enough for every active trader of a busy devnet and every validator; about half a megabyte.</summary>
    public static ParsedKeys Shared { get; } = new(4_096);

    private sealed record Entry(ParsedPublicKey Parsed);

    private readonly Entry?[] _slots;
    private readonly int _mask;
    private long _parses;

    /// <param name="slots">Slots kept, rounded up to a power of two; at least 1.</param>
    public ParsedKeys(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)slots);
        _slots = new Entry?[size];
        _mask = size - 1;
    }

    /// <summary>The same verdict as <see cref="Schnorr.Verify(in PublicKey, in Hash32, in Signature)"/>, parsing the key only when it is not kept.</summary>
    public SignatureCheck Verify(in PublicKey key, in Hash32 message, in Signature signature)
    {
        if (!TryGet(key, out var parsed)) return SignatureCheck.InvalidPublicKey;
        return Schnorr.Verify(parsed, message, signature);
    }

    /// <summary>The parsed form of <paramref name="key"/>, from a slot or parsed now and kept; false when the key is not on the curve.</summary>
    public bool TryGet(in PublicKey key, out ParsedPublicKey parsed)
    {
        // An x-only key is a curve point's coordinate, uniform over the field: its words' mix picks a slot evenly.
        var slot = key.Bytes.GetHashCode() & _mask;
        if (Volatile.Read(ref _slots[slot]) is { } entry && entry.Parsed.Key == key)
        {
            parsed = entry.Parsed;
            return true;
        }
        Interlocked.Increment(ref _parses);
        if (!Schnorr.TryParse(key, out parsed)) return false;
        Volatile.Write(ref _slots[slot], new Entry(parsed));
        return true;
    }

    /// <summary>Keys parsed so far, for lack of a kept one (the rest were answered from a slot).</summary>
    public long Parses => Interlocked.Read(ref _parses);
}
