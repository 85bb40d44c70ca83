using Exchange.Core.Ledger.Codec;

namespace Exchange.Node.Serialization;

/// <summary>
/// Encodes into a writer kept by the calling thread, so a large message costs one array of its exact size: a fresh
/// writer grows by doubling (or is sized from an estimate with room to spare) and is then copied out, and for a block
/// of a few hundred kilobytes each of those arrays is a large-object allocation. A writer that grew past
/// <see cref="KeptCapacity"/> is let go, so a rare huge message does not stay on a thread for good.
/// </summary>
internal static class ScratchWriter
{
    private const int KeptCapacity = 4 * 1024 * 1024;

    [ThreadStatic] private static CanonicalWriter? t_writer;

    /// <summary>What <paramref name="write"/> writes for <paramref name="state"/>, in a fresh array of its exact length.</summary>
    public static byte[] Encode<TState>(TState state, Action<CanonicalWriter, TState> write)
    {
        // Taken off the thread while in use, so an encoder that encodes something nested gets a writer of its own.
        var w = t_writer ?? new CanonicalWriter(4096);
        t_writer = null;
        w.Reset();
        write(w, state);
        var bytes = w.ToArray();
        if (w.Capacity <= KeptCapacity) t_writer = w;
        return bytes;
    }
}
