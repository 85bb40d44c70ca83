using System.Collections.Concurrent;
using Exchange.Core.Crypto;
using static Exchange.Core.Tests.Crypto.Secp256k1Constants;

namespace Exchange.Core.Tests.Crypto;

public sealed class SignatureTests
{
    private static readonly KeyPair Alice = Named("alice");
    private static readonly KeyPair Bob = Named("bob");
    private static readonly Hash32 Order = Message("place order: buy 5 BTC-CALL-60000 at 1250.5");

    [Fact]
    public void Signature_should_verify_for_its_key_and_message_through_both_overloads()
    {
        var signature = Alice.Sign(Order, ZeroAux);

        Assert.Equal(SignatureCheck.Valid, Schnorr.Verify(Alice.PublicKey, Order, signature));
        Assert.Equal(SignatureCheck.Valid, Schnorr.Verify(Alice.PublicKey, Order.ToArray(), signature));
    }

    [Fact]
    public void Sign_should_be_deterministic_for_the_same_aux_randomness()
    {
        var aux = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

        Assert.Equal(Alice.Sign(Order, aux), Alice.Sign(Order, aux));
    }

    [Fact]
    public void Sign_should_give_a_valid_but_different_signature_for_different_aux_randomness()
    {
        var aux = new byte[32];
        aux[0] = 1;
        var a = Alice.Sign(Order, ZeroAux);
        var b = Alice.Sign(Order, aux);

        Assert.NotEqual(a, b);
        Assert.Equal(SignatureCheck.Valid, Schnorr.Verify(Alice.PublicKey, Order, a));
        Assert.Equal(SignatureCheck.Valid, Schnorr.Verify(Alice.PublicKey, Order, b));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void Sign_should_throw_ArgumentException_when_aux_randomness_is_not_32_bytes(int length)
    {
        var e = Assert.Throws<ArgumentException>(() => Alice.Sign(Order, new byte[length]));

        Assert.Equal("auxRand", e.ParamName);
    }

    [Fact]
    public void Changing_any_signature_byte_should_make_it_InvalidSignature()
    {
        var signature = Alice.Sign(Order, ZeroAux).ToArray();
        var accepted = new List<string>();

        for (var i = 0; i < Signature.Length; i++)
        {
            foreach (var mask in new byte[] { 0x01, 0x80, 0xFF })
            {
                var tampered = (byte[])signature.Clone();
                tampered[i] ^= mask;
                var check = Schnorr.Verify(Alice.PublicKey, Order, new Signature(tampered));
                if (check != SignatureCheck.InvalidSignature) accepted.Add($"byte {i} ^ 0x{mask:X2} -> {check}");
            }
        }

        Assert.Empty(accepted);
    }

    [Fact]
    public void Signature_for_one_message_should_be_InvalidSignature_for_another()
    {
        var signature = Alice.Sign(Order, ZeroAux);
        var other = Message("place order: buy 6 BTC-CALL-60000 at 1250.5");

        Assert.Equal(SignatureCheck.InvalidSignature, Schnorr.Verify(Alice.PublicKey, other, signature));
    }

    [Fact]
    public void Signature_by_one_key_should_be_InvalidSignature_under_another_key()
    {
        var signature = Alice.Sign(Order, ZeroAux);

        Assert.Equal(SignatureCheck.InvalidSignature, Schnorr.Verify(Bob.PublicKey, Order, signature));
    }

    public static TheoryData<string, string> KeysNotOnTheCurve() => new()
    {
        { "all 0xFF", new string('F', 64) },
        { "p, the field size", FieldSizeHex },
        { "zero", new string('0', 64) },
        { "BIP340 vector 5", "EEFDEA4CDB677750A420FEE807EACF21EB9898AE79B9768766E4FAA04A2D4A34" },
    };

    [Theory]
    [MemberData(nameof(KeysNotOnTheCurve))]
    public void Verify_should_report_InvalidPublicKey_for_bytes_that_are_not_a_curve_point(string name, string keyHex)
    {
        var key = new PublicKey(Bytes(keyHex));
        var signature = Alice.Sign(Order, ZeroAux);

        Assert.False(Schnorr.IsValidPublicKey(key), name);
        Assert.Equal(SignatureCheck.InvalidPublicKey, Schnorr.Verify(key, Order, signature));
        Assert.Equal(SignatureCheck.InvalidPublicKey, Schnorr.Verify(key, ReadOnlySpan<byte>.Empty, signature));
    }

    [Fact]
    public void Verify_should_report_InvalidSignature_for_the_empty_signature()
    {
        Assert.Equal(SignatureCheck.InvalidSignature, Schnorr.Verify(Alice.PublicKey, Order, Signature.Empty));
    }

    [Fact]
    public void Verify_should_accept_an_empty_message_from_a_null_or_empty_span()
    {
        // BIP340 vector 15: a signature over the zero-length message.
        var v = Bip340Vector.All.Single(r => r.Index == 15);
        var key = new PublicKey(v.PublicKey);
        var signature = new Signature(v.Signature);

        Assert.Equal(SignatureCheck.Valid, Schnorr.Verify(key, ReadOnlySpan<byte>.Empty, signature));
        Assert.Equal(SignatureCheck.Valid, Schnorr.Verify(key, default(ReadOnlySpan<byte>), signature));
        Assert.Equal(SignatureCheck.Valid, Schnorr.Verify(key, Array.Empty<byte>(), signature));
        Assert.Equal(SignatureCheck.Valid, Schnorr.Verify(key, new byte[64].AsSpan(10, 0), signature));
        Assert.Equal(SignatureCheck.InvalidSignature, Schnorr.Verify(key, new byte[1], signature));
    }

    [Fact]
    public void Verify_should_reject_a_digest_signature_offered_for_an_empty_or_long_message()
    {
        var signature = Alice.Sign(Order, ZeroAux);
        var megabyte = new byte[1 << 20];
        Order.CopyTo(megabyte);

        Assert.Equal(SignatureCheck.InvalidSignature, Schnorr.Verify(Alice.PublicKey, ReadOnlySpan<byte>.Empty, signature));
        Assert.Equal(SignatureCheck.InvalidSignature, Schnorr.Verify(Alice.PublicKey, megabyte, signature));
        Assert.Equal(SignatureCheck.InvalidSignature, Schnorr.Verify(Alice.PublicKey, Order.ToArray().AsSpan(0, 31), signature));
    }

    [Fact]
    public void Verify_should_accept_a_valid_signature_over_a_long_message()
    {
        // BIP340 vector 18: a 100-byte message.
        var v = Bip340Vector.All.Single(r => r.Index == 18);
        Assert.Equal(100, v.Message.Length);

        Assert.Equal(SignatureCheck.Valid, Schnorr.Verify(new PublicKey(v.PublicKey), v.Message, new Signature(v.Signature)));
    }

    [Fact]
    public void Verify_should_give_a_typed_result_for_random_keys_signatures_and_messages()
    {
        const int seed = 340_2024;
        var random = new Random(seed);
        var counts = new Dictionary<SignatureCheck, int>();
        for (var i = 0; i < 2_000; i++)
        {
            var keyBytes = new byte[32];
            var sigBytes = new byte[64];
            var message = new byte[random.Next(0, 200)];
            random.NextBytes(keyBytes);
            random.NextBytes(sigBytes);
            random.NextBytes(message);
            // Half the cases use a real key, so the signature path is exercised, not only key parsing.
            var key = i % 2 == 0 ? new PublicKey(keyBytes) : Named($"key {i}").PublicKey;

            var check = Schnorr.Verify(key, message, new Signature(sigBytes));

            var expected = Schnorr.IsValidPublicKey(key) ? SignatureCheck.InvalidSignature : SignatureCheck.InvalidPublicKey;
            Assert.True(check == expected, $"seed {seed}, case {i}: key {key}, signature {Convert.ToHexString(sigBytes)} gave {check}, expected {expected}");
            counts[check] = counts.GetValueOrDefault(check) + 1;
        }

        Assert.True(counts.GetValueOrDefault(SignatureCheck.InvalidPublicKey) > 100, $"seed {seed}: too few off-curve keys drawn");
        Assert.True(counts.GetValueOrDefault(SignatureCheck.InvalidSignature) > 1_000, $"seed {seed}: too few on-curve keys drawn");
    }

    [Fact]
    public void Signature_constructor_should_refuse_the_wrong_number_of_bytes()
    {
        Assert.Throws<ArgumentException>(() => new Signature(new byte[63]));
        Assert.Throws<ArgumentException>(() => new Signature(new byte[65]));
        Assert.Throws<ArgumentException>(() => new Signature(ReadOnlySpan<byte>.Empty));
        Assert.Throws<ArgumentException>(() => new PublicKey(new byte[33]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("zz")]
    public void Signature_TryParseHex_should_refuse_malformed_text(string prefix)
    {
        var good = Alice.Sign(Order, ZeroAux).ToHex();
        var candidates = new[]
        {
            prefix,
            good[..^2],
            good + "00",
            "zz" + good[2..],
            good[..64] + " " + good[65..],
            "0x" + good[2..],
        };

        foreach (var text in candidates)
        {
            Assert.False(Signature.TryParseHex(text, out var value), $"'{text}' was accepted");
            Assert.Equal(Signature.Empty, value);
        }
    }

    [Fact]
    public void Signature_should_round_trip_through_hex_and_bytes()
    {
        var signature = Alice.Sign(Order, ZeroAux);

        Assert.True(Signature.TryParseHex(signature.ToHex(), out var fromHex));
        Assert.True(Signature.TryParseHex(signature.ToHex().ToUpperInvariant(), out var fromUpper));
        Assert.Equal(signature, fromHex);
        Assert.Equal(signature, fromUpper);
        Assert.Equal(signature, new Signature(signature.ToArray()));
        Assert.Equal(128, signature.ToHex().Length);
    }

    [Fact]
    public void PublicKey_should_round_trip_through_hex()
    {
        Assert.True(PublicKey.TryParseHex(Alice.PublicKey.ToString(), out var parsed));
        Assert.Equal(Alice.PublicKey, parsed);
        Assert.False(PublicKey.TryParseHex(Alice.PublicKey.ToString().AsSpan(0, 62), out _));
    }

    [Fact]
    public void Verify_should_give_the_same_verdicts_from_many_threads_at_once()
    {
        const int signers = 64;
        var keys = Enumerable.Range(0, signers).Select(i => Named($"trader {i}")).ToArray();
        var messages = Enumerable.Range(0, signers).Select(i => Message($"order {i}")).ToArray();
        var signatures = keys.Select((k, i) => k.Sign(messages[i], ZeroAux)).ToArray();
        var wrong = new ConcurrentBag<string>();

        Parallel.For(0, 4_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n =>
        {
            var i = n % signers;
            var valid = Schnorr.Verify(keys[i].PublicKey, messages[i], signatures[i]);
            var crossed = Schnorr.Verify(keys[(i + 1) % signers].PublicKey, messages[i], signatures[i]);
            if (valid != SignatureCheck.Valid) wrong.Add($"iteration {n}: own signature gave {valid}");
            if (crossed != SignatureCheck.InvalidSignature) wrong.Add($"iteration {n}: neighbour's key gave {crossed}");
        });

        Assert.Empty(wrong);
    }

    [Fact]
    public void Sign_should_give_the_same_signatures_from_many_threads_as_from_one()
    {
        var messages = Enumerable.Range(0, 256).Select(i => Message($"cancel {i}")).ToArray();
        var sequential = messages.Select(m => Alice.Sign(m, ZeroAux)).ToArray();
        var parallel = new Signature[messages.Length];

        Parallel.For(0, messages.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => parallel[i] = Alice.Sign(messages[i], ZeroAux));

        Assert.Equal(sequential, parallel);
    }
}
