using Exchange.Core.Crypto;
using static Exchange.Core.Tests.Crypto.Secp256k1Constants;

namespace Exchange.Core.Tests.Crypto;

public sealed class KeyPairTests
{
    public static TheoryData<string, string> OutOfRangeSecrets() => new()
    {
        { "zero", new string('0', 64) },
        { "n", OrderHex },
        { "n+1", OrderPlusOneHex },
        { "p", FieldSizeHex },
        { "all 0xFF", new string('F', 64) },
    };

    [Theory]
    [MemberData(nameof(OutOfRangeSecrets))]
    public void TryCreate_should_refuse_a_secret_outside_1_to_n_minus_1(string name, string secretHex)
    {
        var ok = KeyPair.TryCreate(Bytes(secretHex), out var keyPair, out var error);

        Assert.False(ok, $"secret {name} was accepted");
        Assert.Null(keyPair);
        Assert.Equal(KeyError.OutOfRange, error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void TryCreate_should_refuse_a_secret_that_is_not_32_bytes(int length)
    {
        var secret = new byte[length];
        if (length > 0) secret[^1] = 1;

        var ok = KeyPair.TryCreate(secret, out var keyPair, out var error);

        Assert.False(ok);
        Assert.Null(keyPair);
        Assert.Equal(KeyError.WrongLength, error);
    }

    [Fact]
    public void TryCreate_should_accept_the_smallest_and_largest_secrets()
    {
        Assert.True(KeyPair.TryCreate(SmallSecret(1), out var one, out var e1));
        Assert.True(KeyPair.TryCreate(Bytes(OrderMinusOneHex), out var last, out var e2));

        Assert.Equal(KeyError.None, e1);
        Assert.Equal(KeyError.None, e2);
        // 1·G and (n-1)·G = -G share the x coordinate, and BIP340 keys are x-only.
        Assert.Equal(GeneratorXHex, one!.PublicKey.ToString());
        Assert.Equal(GeneratorXHex, last!.PublicKey.ToString());
    }

    [Fact]
    public void FromSecret_should_throw_ArgumentException_naming_the_reason()
    {
        var outOfRange = Assert.Throws<ArgumentException>(() => KeyPair.FromSecret(new byte[32]));
        var wrongLength = Assert.Throws<ArgumentException>(() => KeyPair.FromSecret(new byte[31]));

        Assert.Contains(nameof(KeyError.OutOfRange), outOfRange.Message);
        Assert.Contains(nameof(KeyError.WrongLength), wrongLength.Message);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000001")]
    [InlineData(OrderMinusOneHex)]
    [InlineData("B7E151628AED2A6ABF7158809CF4F3C762E7160F38B4DA56A784D9045190CFEF")]
    public void ExportSecret_should_return_the_secret_the_pair_was_made_from(string secretHex)
    {
        var secret = Bytes(secretHex);
        var keyPair = KeyPair.FromSecret(secret);

        var exported = keyPair.ExportSecret();

        Assert.Equal(secret, exported);
        Assert.Equal(keyPair.PublicKey, KeyPair.FromSecret(exported).PublicKey);
    }

    [Fact]
    public void ExportSecret_should_hand_out_a_fresh_copy_each_time()
    {
        var keyPair = Named("alice");
        var first = keyPair.ExportSecret();
        first.AsSpan().Clear();

        Assert.NotEqual(first, keyPair.ExportSecret());
        Assert.Equal(Named("alice").PublicKey, keyPair.PublicKey);
    }

    [Fact]
    public void TryCreate_should_not_keep_a_reference_to_the_callers_secret()
    {
        var secret = Named("bob").ExportSecret();
        var keyPair = KeyPair.FromSecret(secret);
        var message = Message("transfer 10 USDC");

        secret.AsSpan().Clear();

        var signature = keyPair.Sign(message, ZeroAux);
        Assert.Equal(SignatureCheck.Valid, Schnorr.Verify(keyPair.PublicKey, message, signature));
        Assert.Equal(Named("bob").PublicKey, keyPair.PublicKey);
    }

    [Fact]
    public void Same_secret_should_give_the_same_public_key_and_different_secrets_different_keys()
    {
        Assert.Equal(Named("alice").PublicKey, Named("alice").PublicKey);
        Assert.NotEqual(Named("alice").PublicKey, Named("bob").PublicKey);
    }

    [Fact]
    public void Public_key_of_a_key_pair_should_be_a_valid_curve_point()
    {
        for (byte i = 1; i <= 50; i++)
            Assert.True(Schnorr.IsValidPublicKey(KeyPair.FromSecret(SmallSecret(i)).PublicKey), $"secret {i}");
    }
}
