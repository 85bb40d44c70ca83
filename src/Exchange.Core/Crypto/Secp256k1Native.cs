using System.Runtime.InteropServices;

namespace Exchange.Core.Crypto;

/// <summary>
/// The raw C functions of libsecp256k1 that BIP340 needs. Opaque structs are passed as byte
/// buffers of their documented sizes. Callers guarantee every pointer is non-null and sized
/// correctly: the library aborts the process on API misuse, so nothing here may be exposed.
/// </summary>
internal static unsafe partial class Secp256k1Native
{
    internal const uint ContextNone = 1;     // SECP256K1_FLAGS_TYPE_CONTEXT
    internal const int KeypairSize = 96;     // sizeof(secp256k1_keypair)
    internal const int XOnlyPubkeySize = 64; // sizeof(secp256k1_xonly_pubkey)

    [LibraryImport(Secp256k1Library.ImportName, EntryPoint = "secp256k1_context_create")]
    internal static partial nint ContextCreate(uint flags);

    [LibraryImport(Secp256k1Library.ImportName, EntryPoint = "secp256k1_keypair_create")]
    internal static partial int KeypairCreate(nint ctx, byte* keypair, byte* seckey32);

    [LibraryImport(Secp256k1Library.ImportName, EntryPoint = "secp256k1_keypair_sec")]
    internal static partial int KeypairSec(nint ctx, byte* seckey32, byte* keypair);

    [LibraryImport(Secp256k1Library.ImportName, EntryPoint = "secp256k1_keypair_xonly_pub")]
    internal static partial int KeypairXOnlyPub(nint ctx, byte* xonlyPubkey, int* parity, byte* keypair);

    [LibraryImport(Secp256k1Library.ImportName, EntryPoint = "secp256k1_xonly_pubkey_parse")]
    internal static partial int XOnlyPubkeyParse(nint ctx, byte* xonlyPubkey, byte* input32);

    [LibraryImport(Secp256k1Library.ImportName, EntryPoint = "secp256k1_xonly_pubkey_serialize")]
    internal static partial int XOnlyPubkeySerialize(nint ctx, byte* output32, byte* xonlyPubkey);

    [LibraryImport(Secp256k1Library.ImportName, EntryPoint = "secp256k1_schnorrsig_sign32")]
    internal static partial int SchnorrSign32(nint ctx, byte* sig64, byte* msg32, byte* keypair, byte* auxRand32);

    [LibraryImport(Secp256k1Library.ImportName, EntryPoint = "secp256k1_schnorrsig_verify")]
    internal static partial int SchnorrVerify(nint ctx, byte* sig64, byte* msg, nuint msgLen, byte* xonlyPubkey);
}
