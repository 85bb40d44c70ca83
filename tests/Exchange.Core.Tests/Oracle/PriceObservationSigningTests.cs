using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;
using static Exchange.Core.Tests.Oracle.OracleFixtures;

namespace Exchange.Core.Tests.Oracle;

/// <summary>A signature covers every field, one chain, and nothing but an oracle observation.</summary>
public class PriceObservationSigningTests
{
    private static readonly PriceObservation Signed = Observation_Alice_BTC100k_ETH3k_AtHeight7();

    [Fact]
    public void Signed_observation_should_verify_on_its_chain() => Assert.Equal(SignatureCheck.Valid, Signed.Verify(ChainA));

    [Fact]
    public void Signed_observation_should_still_verify_after_an_encode_decode_round_trip() =>
        Assert.Equal(SignatureCheck.Valid, PriceObservation.Decode(Signed.Encode()).Verify(ChainA));

    [Fact]
    public void Signature_should_not_verify_on_another_chain()
    {
        Assert.Equal(SignatureCheck.InvalidSignature, Signed.Verify(ChainB));
        Assert.NotEqual(Signed.SigningHash(ChainA), Signed.SigningHash(ChainB));
    }

    public static TheoryData<string, PriceObservation> Tampered => new()
    {
        { "height (a replay at another height)", Signed with { Height = 8 } },
        { "reading time", Signed with { TimeUnixMs = Signed.TimeUnixMs + 1 } },
        { "price by one micro-dollar", Signed with { Quotes = [Btc(100_000) with { Price = new Price(100_000_000_001) }, Eth(3_000)] } },
        { "implied vol", Signed with { Quotes = [Btc(100_000, vol: 550_001), Eth(3_000)] } },
        { "a quote dropped", Signed with { Quotes = [Btc(100_000)] } },
        { "validator swapped for another", Signed with { Validator = Bob.PublicKey } },
    };

    [Theory]
    [MemberData(nameof(Tampered))]
    public void Changing_any_field_should_break_the_signature(string field, PriceObservation tampered) =>
        Assert.True(tampered.Verify(ChainA) != SignatureCheck.Valid, field);

    [Fact]
    public void A_flipped_signature_bit_should_not_verify()
    {
        var bytes = Signed.Encode();
        bytes[^1] ^= 1;
        Assert.Equal(SignatureCheck.InvalidSignature, PriceObservation.Decode(bytes).Verify(ChainA));
    }

    [Fact]
    public void Signing_with_another_validators_key_should_throw() =>
        Assert.Throws<ArgumentException>(() => Obs(Alice, 7, Btc(100_000)).Sign(ChainA, Bob, ZeroAux));

    [Fact]
    public void Signing_hash_should_differ_from_a_precommit_hash_over_the_same_bytes()
    {
        // Same chain and payload bytes under the precommit tag: the tags alone keep the two apart.
        var w = new CanonicalWriter();
        w.WriteText(ChainA, Names.MaxChainIdLength);
        var unsigned = Signed.Encode()[..^Signature.Length];
        var asPrecommit = Hash32.Tagged(Commit.PrecommitTag, [.. w.Written, .. unsigned]);
        var asObservation = Hash32.Tagged(PriceObservation.SigningTag, [.. w.Written, .. unsigned]);

        Assert.Equal(asObservation, Signed.SigningHash(ChainA));
        Assert.NotEqual(asPrecommit, Signed.SigningHash(ChainA));
    }

    [Fact]
    public void Signing_with_the_same_aux_should_give_the_same_signature() =>
        Assert.Equal(Signed, Observation_Alice_BTC100k_ETH3k_AtHeight7());
}
