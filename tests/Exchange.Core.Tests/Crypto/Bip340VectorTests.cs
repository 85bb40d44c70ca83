using Exchange.Core.Crypto;

namespace Exchange.Core.Tests.Crypto;

/// <summary>Every row of the published BIP340 vectors, run through the native binding.</summary>
public sealed class Bip340VectorTests
{
    public static TheoryData<int, string> Rows()
    {
        var data = new TheoryData<int, string>();
        foreach (var v in Bip340Vector.All) data.Add(v.Index, v.Comment);
        return data;
    }

    private static Bip340Vector Row(int index) => Bip340Vector.All.Single(v => v.Index == index);

    [Theory]
    [MemberData(nameof(Rows))]
    public void Vector_should_give_the_listed_key_signature_and_verdict(int index, string comment)
    {
        var v = Row(index);
        Assert.Equal(comment, v.Comment);
        var key = new PublicKey(v.PublicKey);
        var signature = new Signature(v.Signature);

        if (v.SecretKey is not null)
        {
            Assert.True(KeyPair.TryCreate(v.SecretKey, out var keyPair, out var error), $"row {index}: secret key refused ({error})");
            Assert.Equal(KeyError.None, error);
            Assert.Equal(Hex(v.PublicKey), keyPair!.PublicKey.ToString());
            Assert.Equal(Hex(v.SecretKey), Hex(keyPair.ExportSecret()));

            // KeyPair.Sign takes a 32-byte digest; rows with other message lengths are checked by verification only.
            if (v.Message.Length == 32)
            {
                Assert.NotNull(v.AuxRand);
                var produced = keyPair.Sign(new Hash32(v.Message), v.AuxRand);
                Assert.Equal(Hex(v.Signature), produced.ToHex());
            }
        }

        var expected = Expected(v);
        Assert.Equal(expected, Schnorr.Verify(key, v.Message, signature));
        if (v.Message.Length == 32)
            Assert.Equal(expected, Schnorr.Verify(key, new Hash32(v.Message), signature));
        Assert.Equal(expected != SignatureCheck.InvalidPublicKey, Schnorr.IsValidPublicKey(key));

        // Parsed once, the key gives every 32-byte message the same verdict.
        Assert.Equal(expected != SignatureCheck.InvalidPublicKey, Schnorr.TryParse(key, out var parsed));
        Assert.Equal(expected != SignatureCheck.InvalidPublicKey, parsed.IsParsed);
        if (v.Message.Length == 32)
            Assert.Equal(expected, Schnorr.Verify(parsed, new Hash32(v.Message), signature));
        if (parsed.IsParsed) Assert.Equal(key, parsed.Key);
    }

    [Fact]
    public void A_key_never_parsed_should_be_refused_without_reaching_the_library()
    {
        // The library aborts the process on a zeroed key struct; the default value must never get that far.
        var v = Bip340Vector.All.First(r => r.VerificationResult && r.Message.Length == 32);
        Assert.Equal(SignatureCheck.InvalidPublicKey, Schnorr.Verify(default(ParsedPublicKey), new Hash32(v.Message), new Signature(v.Signature)));
    }

    [Fact]
    public void Vector_file_should_hold_every_published_row()
    {
        var all = Bip340Vector.All;
        Assert.Equal(Enumerable.Range(0, 19), all.Select(v => v.Index));
        Assert.Contains(all, v => v.SecretKey is not null && v.VerificationResult);
        Assert.Contains(all, v => v.SecretKey is null && v.VerificationResult);
        Assert.Contains(all, v => v.PublicKeyIsNotOnTheCurve);
        Assert.Contains(all, v => !v.VerificationResult && !v.PublicKeyIsNotOnTheCurve);
        Assert.Contains(all, v => v.Message.Length == 0);
        Assert.Contains(all, v => v.Message.Length > 32);
    }

    [Fact]
    public void Vector_parser_should_accept_empty_fields_crlf_and_commas_in_comments()
    {
        const string text =
            "index,secret key,public key,aux_rand,message,signature,verification result,comment\r\n" +
            "7,,AB,,,CD,false,\r\n" +
            "\r\n" +
            "8,01,AB,02,03,CD,TRUE,a comment, with a comma\n";

        var rows = Bip340Vector.Load(text);

        Assert.Equal(2, rows.Count);
        Assert.Null(rows[0].SecretKey);
        Assert.Null(rows[0].AuxRand);
        Assert.Empty(rows[0].Message);
        Assert.False(rows[0].VerificationResult);
        Assert.Equal("", rows[0].Comment);
        Assert.Equal([0x01], rows[1].SecretKey);
        Assert.True(rows[1].VerificationResult);
        Assert.Equal("a comment, with a comma", rows[1].Comment);
    }

    private static SignatureCheck Expected(Bip340Vector v) =>
        v.VerificationResult ? SignatureCheck.Valid
        : v.PublicKeyIsNotOnTheCurve ? SignatureCheck.InvalidPublicKey
        : SignatureCheck.InvalidSignature;

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
