using System.Reflection;
using System.Runtime.InteropServices;

namespace Exchange.Core.Crypto;

/// <summary>Raised when the system libsecp256k1 cannot be loaded or lacks the Schnorr module.</summary>
public sealed class Secp256k1UnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Finds the system libsecp256k1 (Debian's libsecp256k1-1 ships libsecp256k1.so.1 without the
/// unversioned development link) and owns the one verification/signing context of the process.
/// </summary>
internal static class Secp256k1Library
{
    internal const string ImportName = "secp256k1";

    /// <summary>Sonames tried in order: Debian 12 (0.2), Debian 13 (0.6), a development link, macOS.</summary>
    internal static readonly string[] Candidates =
        ["libsecp256k1.so.1", "libsecp256k1.so.2", "libsecp256k1.so", "libsecp256k1.dylib"];

    internal const string InstallHint =
        "install the system package: apt-get install libsecp256k1-1 (Debian/Ubuntu)";

    private static readonly Lazy<nint> s_handle = new(() => Load(Candidates));
    private static readonly Lazy<nint> s_context = new(CreateContext);

    static Secp256k1Library()
    {
        NativeLibrary.SetDllImportResolver(typeof(Secp256k1Library).Assembly, Resolve);
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == ImportName ? s_handle.Value : 0;

    /// <summary>Loads the first candidate that exists and carries the BIP340 functions, or says clearly why none did.</summary>
    internal static nint Load(IReadOnlyList<string> candidates)
    {
        foreach (var candidate in candidates)
        {
            if (!NativeLibrary.TryLoad(candidate, out var handle)) continue;
            if (NativeLibrary.TryGetExport(handle, "secp256k1_schnorrsig_verify", out _) &&
                NativeLibrary.TryGetExport(handle, "secp256k1_keypair_create", out _))
                return handle;
            throw new Secp256k1UnavailableException(
                $"{candidate} was found but was built without the schnorrsig and extrakeys modules; {InstallHint}");
        }
        throw new Secp256k1UnavailableException(
            $"libsecp256k1 was not found (tried {string.Join(", ", candidates)}); {InstallHint}");
    }

    /// <summary>The shared context. Signing and verification take it read-only, so every thread may use it at once.</summary>
    internal static nint Context => s_context.Value;

    private static nint CreateContext()
    {
        try
        {
            var ctx = Secp256k1Native.ContextCreate(Secp256k1Native.ContextNone);
            if (ctx == 0) throw new Secp256k1UnavailableException("secp256k1_context_create returned no context");
            return ctx;
        }
        catch (DllNotFoundException e)
        {
            throw new Secp256k1UnavailableException($"libsecp256k1 could not be loaded: {e.Message}; {InstallHint}", e);
        }
        catch (EntryPointNotFoundException e)
        {
            throw new Secp256k1UnavailableException($"libsecp256k1 is too old: {e.Message}; {InstallHint}", e);
        }
    }

    /// <summary>Forces loading now, so a missing library is reported at start-up rather than at the first signature.</summary>
    public static void EnsureLoaded() => _ = Context;
}
