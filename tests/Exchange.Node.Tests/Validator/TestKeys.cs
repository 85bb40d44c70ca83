using Exchange.Core.Crypto;

namespace Exchange.Node.Tests.Validator;

/// <summary>Fixed keys and hashes for validator tests: the same on every run.</summary>
internal static class TestKeys
{
    public static KeyPair Validator(int index)
    {
        var secret = new byte[32];
        secret[0] = 0x7E;
        secret[31] = (byte)(index + 1);
        return KeyPair.FromSecret(secret);
    }

    public static Hash32 Hash(int n) => Hash32.Tagged("exchange/test-hash", [(byte)n]);
}
