using System.Text;

namespace Exchange.Core.Ledger.Codec;

/// <summary>
/// Strings for decoded text that has already been checked to be printable ASCII. Such text repeats: every transaction
/// names its chain and an order its instrument, and a node decodes thousands of them a second. A short text met before
/// is handed out again instead of allocated anew. The table only saves allocations: what it returns is always equal to
/// the bytes, so decoding gives the same values whatever it holds.
/// </summary>
internal static class DecodedText
{
    /// <summary>Longer texts are rare (reasons, descriptions) and not worth a slot.</summary>
    private const int MaxKeptLength = 48;

    private const int Slots = 1024;

    // Each slot holds one string, replaced whole; a reader sees the old one or the new one, and compares it anyway.
    private static readonly string?[] s_slots = new string?[Slots];

    public static string Of(ReadOnlySpan<byte> ascii)
    {
        if (ascii.Length == 0) return string.Empty;
        if (ascii.Length > MaxKeptLength) return Make(ascii);
        var slot = (int)(Fnv1a(ascii) & (Slots - 1));
        var kept = Volatile.Read(ref s_slots[slot]);
        if (kept is not null && Same(kept, ascii)) return kept;
        var made = Make(ascii);
        Volatile.Write(ref s_slots[slot], made);
        return made;
    }

    // Printable ASCII maps byte for byte to the same chars in Latin-1.
    private static string Make(ReadOnlySpan<byte> ascii) => Encoding.Latin1.GetString(ascii);

    private static bool Same(string kept, ReadOnlySpan<byte> ascii)
    {
        if (kept.Length != ascii.Length) return false;
        for (var i = 0; i < ascii.Length; i++)
            if (kept[i] != ascii[i]) return false;
        return true;
    }

    private static uint Fnv1a(ReadOnlySpan<byte> bytes)
    {
        var h = 2166136261u;
        foreach (var b in bytes) h = (h ^ b) * 16777619u;
        return h;
    }
}
