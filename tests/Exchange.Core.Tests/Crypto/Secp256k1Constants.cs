using System.Text;
using Exchange.Core.Crypto;

namespace Exchange.Core.Tests.Crypto;

/// <summary>Curve constants and named fixtures shared by the crypto tests.</summary>
internal static class Secp256k1Constants
{
    /// <summary>The group order n: secret keys must lie in [1, n-1].</summary>
    public const string OrderHex = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141";
    public const string OrderMinusOneHex = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140";
    public const string OrderPlusOneHex = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364142";

    /// <summary>The field size p: an x coordinate must be below it.</summary>
    public const string FieldSizeHex = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F";

    /// <summary>x of the generator G, the public key of secret 1 (and of n-1, whose point is -G).</summary>
    public const string GeneratorXHex = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex);

    /// <summary>A 32-byte secret holding <paramref name="value"/> in its last byte.</summary>
    public static byte[] SmallSecret(byte value)
    {
        var s = new byte[32];
        s[31] = value;
        return s;
    }

    /// <summary>A valid key pair derived from a name, so fixtures read as who they are.</summary>
    public static KeyPair Named(string name) => KeyPair.FromSecret(Hash32.Compute(Encoding.UTF8.GetBytes(name)).ToArray());

    public static Hash32 Message(string text) => Hash32.Compute(Encoding.UTF8.GetBytes(text));

    public static readonly byte[] ZeroAux = new byte[32];
}
