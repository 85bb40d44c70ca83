using Exchange.Core.Crypto;

namespace Exchange.Node.Ledger;

/// <summary>The ledger cannot go on: its storage or its state contradicts itself. The node stops.</summary>
public class LedgerHaltException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A recovered block gave another app hash than the one recorded when it was first applied.</summary>
public sealed class AppHashMismatchException(ulong height, Hash32 recorded, Hash32 computed)
    : LedgerHaltException($"app hash mismatch at height {height}: recorded {recorded}, computed {computed}")
{
    public ulong Height { get; } = height;
    public Hash32 Recorded { get; } = recorded;
    public Hash32 Computed { get; } = computed;
}
