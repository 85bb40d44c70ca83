using System.Security.Cryptography;
using Exchange.Core.Crypto;

namespace Exchange.Node.Keys;

/// <summary>
/// The one place secrets come from: the operating system's CSPRNG. Consensus code never draws
/// randomness; it receives keys and BIP340 auxiliary randomness from here.
/// </summary>
public static class KeyGenerator
{
    public static KeyPair Generate()
    {
        Span<byte> secret = stackalloc byte[32];
        try
        {
            // A uniform 32-byte value is out of range (zero or ≥ n) with probability about 2^-128; draw again then.
            while (true)
            {
                RandomNumberGenerator.Fill(secret);
                if (KeyPair.TryCreate(secret, out var keyPair, out _)) return keyPair!;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Fresh BIP340 auxiliary randomness for one signature.</summary>
    public static byte[] AuxRandomness() => RandomNumberGenerator.GetBytes(32);
}
