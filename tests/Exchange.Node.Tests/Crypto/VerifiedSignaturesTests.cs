using Exchange.Core.Crypto;
using Exchange.Node.Crypto;

namespace Exchange.Node.Tests.Crypto;

public class VerifiedSignaturesTests
{
    private static readonly KeyPair Alice = KeyPair.FromSecret(Enumerable.Repeat((byte)7, 32).ToArray());
    private static readonly KeyPair Bob = KeyPair.FromSecret(Enumerable.Repeat((byte)9, 32).ToArray());

    private static (Hash32 Message, Signature Signature) Signed(KeyPair key, byte tag)
    {
        var message = Hash32.Compute([tag]);
        return (message, key.Sign(message, new byte[32]));
    }

    [Fact]
    public void A_valid_signature_should_be_verified_once_and_then_answered_from_the_record()
    {
        var record = new VerifiedSignatures(16);
        var (message, signature) = Signed(Alice, 1);
        Assert.Equal(SignatureCheck.Valid, record.Verify(Alice.PublicKey, message, signature));
        Assert.Equal(SignatureCheck.Valid, record.Verify(Alice.PublicKey, message, signature));
        Assert.Equal((1L, 1L), record.Counts);
    }

    [Fact]
    public void Anything_but_the_exact_valid_triple_should_be_verified_for_real()
    {
        var record = new VerifiedSignatures(16);
        var (message, signature) = Signed(Alice, 1);
        record.Verify(Alice.PublicKey, message, signature);

        // Bob's signature over the same message under Alice's key, Alice's over another message, Alice's under Bob's key:
        // none is the recorded triple, each is checked and each fails.
        var (_, bobs) = Signed(Bob, 1);
        Assert.Equal(SignatureCheck.InvalidSignature, record.Verify(Alice.PublicKey, message, bobs));
        Assert.Equal(SignatureCheck.InvalidSignature, record.Verify(Alice.PublicKey, Hash32.Compute([2]), signature));
        Assert.Equal(SignatureCheck.InvalidSignature, record.Verify(Bob.PublicKey, message, signature));
        Assert.Equal((0L, 4L), record.Counts);
    }

    [Fact]
    public void An_invalid_signature_should_never_be_recorded()
    {
        var record = new VerifiedSignatures(16);
        var (message, _) = Signed(Alice, 1);
        var (_, bobs) = Signed(Bob, 1);
        Assert.Equal(SignatureCheck.InvalidSignature, record.Verify(Alice.PublicKey, message, bobs));
        Assert.Equal(SignatureCheck.InvalidSignature, record.Verify(Alice.PublicKey, message, bobs));
        Assert.Equal((0L, 2L), record.Counts);
    }

    [Fact]
    public void The_oldest_signatures_should_be_forgotten_beyond_the_capacity()
    {
        var record = new VerifiedSignatures(2);
        var signed = Enumerable.Range(1, 3).Select(i => Signed(Alice, (byte)i)).ToArray();
        foreach (var (message, signature) in signed) record.Verify(Alice.PublicKey, message, signature);
        record.Verify(Alice.PublicKey, signed[2].Message, signed[2].Signature);   // still kept
        record.Verify(Alice.PublicKey, signed[0].Message, signed[0].Signature);   // forgotten: checked again
        Assert.Equal((1L, 4L), record.Counts);
    }
}
