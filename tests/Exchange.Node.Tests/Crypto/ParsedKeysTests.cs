using Exchange.Core.Crypto;
using Exchange.Node.Crypto;

namespace Exchange.Node.Tests.Crypto;

public class ParsedKeysTests
{
    private static readonly KeyPair[] Keys = Enumerable.Range(1, 6).Select(i => KeyPair.FromSecret(Enumerable.Repeat((byte)i, 32).ToArray())).ToArray();

    /// <summary>The x coordinate of no curve point (BIP340 test vector 5).</summary>
    private static readonly PublicKey NotOnTheCurve = PublicKey.TryParseHex("EEFDEA4CDB677750A420FEE807EACF21EB9898AE79B9768766E4FAA04A2D4A34", out var k)
        ? k : throw new InvalidOperationException("bad hex");

    private static (Hash32 Message, Signature Signature) Signed(KeyPair key, int tag)
    {
        var message = Hash32.Compute(BitConverter.GetBytes(tag));
        return (message, key.Sign(message, new byte[32]));
    }

    [Fact]
    public void A_key_seen_before_should_be_answered_from_its_slot_with_the_verdict_of_a_fresh_parse()
    {
        var keys = new ParsedKeys(16);
        var (message, signature) = Signed(Keys[0], 1);
        Assert.Equal(SignatureCheck.Valid, keys.Verify(Keys[0].PublicKey, message, signature));
        Assert.Equal(SignatureCheck.Valid, keys.Verify(Keys[0].PublicKey, message, signature));
        Assert.Equal(SignatureCheck.InvalidSignature, keys.Verify(Keys[0].PublicKey, Hash32.Compute([9]), signature));
        Assert.Equal(1, keys.Parses);
    }

    [Fact]
    public void Every_verdict_should_match_the_library_for_right_and_wrong_signers_and_messages()
    {
        var keys = new ParsedKeys(4);
        var signed = Keys.Select((k, i) => Signed(k, i)).ToArray();
        for (var round = 0; round < 2; round++)
            for (var signer = 0; signer < Keys.Length; signer++)
                for (var claimed = 0; claimed < Keys.Length; claimed++)
                {
                    var (message, signature) = signed[signer];
                    var expected = Schnorr.Verify(Keys[claimed].PublicKey, message, signature);
                    Assert.Equal(signer == claimed ? SignatureCheck.Valid : SignatureCheck.InvalidSignature, expected);
                    Assert.Equal(expected, keys.Verify(Keys[claimed].PublicKey, message, signature));
                }
    }

    [Fact]
    public void Keys_sharing_one_slot_should_each_verify_as_themselves()
    {
        var keys = new ParsedKeys(1);
        var (m0, s0) = Signed(Keys[0], 0);
        var (m1, s1) = Signed(Keys[1], 1);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(SignatureCheck.Valid, keys.Verify(Keys[0].PublicKey, m0, s0));
            Assert.Equal(SignatureCheck.Valid, keys.Verify(Keys[1].PublicKey, m1, s1));
            Assert.Equal(SignatureCheck.InvalidSignature, keys.Verify(Keys[1].PublicKey, m0, s0));
        }
    }

    [Fact]
    public void A_key_off_the_curve_should_be_refused_every_time_and_never_kept()
    {
        var keys = new ParsedKeys(1);
        var (message, signature) = Signed(Keys[0], 0);
        Assert.Equal(SignatureCheck.Valid, keys.Verify(Keys[0].PublicKey, message, signature));
        Assert.Equal(Schnorr.Verify(NotOnTheCurve, message, signature), keys.Verify(NotOnTheCurve, message, signature));
        Assert.Equal(SignatureCheck.InvalidPublicKey, keys.Verify(NotOnTheCurve, message, signature));
        Assert.False(keys.TryGet(NotOnTheCurve, out var parsed));
        Assert.False(parsed.IsParsed);
        // The refused key did not take the only slot from the good one.
        var before = keys.Parses;
        Assert.Equal(SignatureCheck.Valid, keys.Verify(Keys[0].PublicKey, message, signature));
        Assert.Equal(before, keys.Parses);
    }

    [Fact]
    public void Threads_racing_for_few_slots_should_all_get_right_verdicts()
    {
        var keys = new ParsedKeys(2);
        var signed = Keys.Select((k, i) => Signed(k, i)).ToArray();
        var wrong = 0;
        Parallel.For(0, 4_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var signer = i % Keys.Length;
            var claimed = (i / Keys.Length) % Keys.Length;
            var (message, signature) = signed[signer];
            var verdict = keys.Verify(Keys[claimed].PublicKey, message, signature);
            var expected = signer == claimed ? SignatureCheck.Valid : SignatureCheck.InvalidSignature;
            if (verdict != expected) Interlocked.Increment(ref wrong);
        });
        Assert.Equal(0, wrong);
    }
}
