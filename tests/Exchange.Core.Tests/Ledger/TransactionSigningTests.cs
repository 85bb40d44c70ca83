using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;

namespace Exchange.Core.Tests.Ledger;

public class TransactionSigningTests
{
    [Fact]
    public void Signed_transaction_of_every_kind_should_verify_on_its_chain()
    {
        foreach (var payload in LedgerFixtures.OneOfEachKind())
        {
            var tx = LedgerFixtures.Signed(LedgerFixtures.Alice, 1, payload);
            Assert.Equal(SignatureCheck.Valid, tx.VerifySignature(LedgerFixtures.ChainA));
            Assert.Equal(SignatureCheck.Valid, Transaction.Decode(tx.Encode()).VerifySignature(LedgerFixtures.ChainA));
        }
    }

    [Fact]
    public void Flipping_any_byte_of_a_signed_transaction_should_make_it_fail()
    {
        var bytes = LedgerFixtures.Signed(LedgerFixtures.Alice, 9, LedgerFixtures.Order_Buy1_BTC100k_At500()).Encode();
        for (var i = 0; i < bytes.Length; i++)
        {
            foreach (var mask in new byte[] { 0x01, 0x80, 0xFF })
            {
                var copy = (byte[])bytes.Clone();
                copy[i] ^= mask;
                // Either the bytes no longer decode, or they decode to a transaction whose signature fails.
                if (Transaction.TryDecode(copy, out var tx, out _))
                    Assert.True(tx!.VerifySignature(LedgerFixtures.ChainA) != SignatureCheck.Valid, $"byte {i} ^ 0x{mask:x2} still verified");
            }
        }
    }

    [Fact]
    public void Transaction_signed_for_chain_A_should_fail_on_chain_B()
    {
        var onA = LedgerFixtures.Signed(LedgerFixtures.Alice, 1, new Transfer(LedgerFixtures.Bob.PublicKey, Money.FromWhole(1)));
        Assert.Equal(SignatureCheck.InvalidSignature, onA.VerifySignature(LedgerFixtures.ChainB));
        // Relabelling the envelope to chain B does not carry the signature across either.
        var relabelled = onA with { ChainId = LedgerFixtures.ChainB };
        Assert.Equal(SignatureCheck.InvalidSignature, relabelled.VerifySignature(LedgerFixtures.ChainB));
    }

    [Fact]
    public void Hashes_computed_once_should_not_follow_a_copy_nor_count_in_equality()
    {
        var tx = LedgerFixtures.Signed(LedgerFixtures.Alice, 1, new Transfer(LedgerFixtures.Bob.PublicKey, Money.FromWhole(1)));
        var (id, signing) = (tx.Hash(), tx.SigningHash());
        var later = tx with { Nonce = 2 };
        Assert.NotEqual(id, later.Hash());
        Assert.NotEqual(signing, later.SigningHash());
        Assert.Equal(Hash32.Compute(later.Encode()), later.Hash());

        var fresh = Transaction.Decode(tx.Encode());   // equal value, nothing computed yet
        Assert.Equal(tx, fresh);
        Assert.Equal(tx.GetHashCode(), fresh.GetHashCode());
        Assert.NotEqual(tx, later);
        Assert.Equal(id, fresh.Hash());
    }

    [Fact]
    public void Kept_encoding_should_be_the_canonical_one_and_not_follow_a_copy()
    {
        foreach (var payload in LedgerFixtures.OneOfEachKind())
        {
            var tx = LedgerFixtures.Signed(LedgerFixtures.Alice, 7, payload);
            var bytes = tx.Encode();
            var decoded = Transaction.Decode(bytes);   // keeps the bytes it read
            Assert.Equal(bytes, decoded.Encode());
            var w = new Exchange.Core.Ledger.Codec.CanonicalWriter();
            decoded.WriteTo(w);
            Assert.Equal(bytes, w.ToArray());

            // A copy with another nonce encodes afresh: the kept bytes of the original are not its bytes.
            var later = decoded with { Nonce = 8 };
            Assert.Equal((later with { }).Encode(), later.Encode());
            Assert.NotEqual(bytes, later.Encode());
            Assert.Equal(8ul, Transaction.Decode(later.Encode()).Nonce);
        }
    }

    [Fact]
    public void Changing_an_encoding_handed_out_should_not_change_the_transaction()
    {
        var tx = Transaction.Decode(LedgerFixtures.Signed(LedgerFixtures.Alice, 1, new Stake(Money.FromWhole(1))).Encode());
        var handedOut = tx.Encode();
        var id = tx.Hash();
        handedOut[^1] ^= 0xFF;
        Assert.NotEqual(handedOut, tx.Encode());
        Assert.Equal(id, Hash32.Compute(tx.Encode()));
    }

    [Fact]
    public void Signature_by_another_key_should_fail()
    {
        var tx = Transaction.Create(LedgerFixtures.ChainA, LedgerFixtures.Alice.PublicKey, 1, new Stake(Money.FromWhole(1)));
        var forged = tx with { Signature = LedgerFixtures.Bob.Sign(tx.SigningHash(), LedgerFixtures.ZeroAux) };
        Assert.Equal(SignatureCheck.InvalidSignature, forged.VerifySignature(LedgerFixtures.ChainA));
    }

    [Fact]
    public void Signing_with_a_key_that_is_not_the_senders_should_be_refused()
    {
        var tx = Transaction.Create(LedgerFixtures.ChainA, LedgerFixtures.Alice.PublicKey, 1, new Stake(Money.FromWhole(1)));
        Assert.Throws<ArgumentException>(() => tx.SignWith(LedgerFixtures.Bob, LedgerFixtures.ZeroAux));
    }

    [Fact]
    public void Sender_that_is_not_a_curve_point_should_be_reported_as_an_invalid_key()
    {
        var offCurve = new PublicKey(Convert.FromHexString("EEFDEA4CDB677750A420FEE807EACF21EB9898AE79B9768766E4FAA04A2D4A34"));
        var tx = new Transaction(1, LedgerFixtures.ChainA, offCurve, 1, new Stake(Money.FromWhole(1)), Signature.Empty);
        Assert.Equal(SignatureCheck.InvalidPublicKey, tx.VerifySignature(LedgerFixtures.ChainA));
    }

    [Fact]
    public void Transaction_hash_should_cover_the_signature_and_signing_hash_should_not()
    {
        var unsigned = Transaction.Create(LedgerFixtures.ChainA, LedgerFixtures.Alice.PublicKey, 1, new Stake(Money.FromWhole(1)));
        var signed = unsigned.SignWith(LedgerFixtures.Alice, LedgerFixtures.ZeroAux);
        Assert.Equal(unsigned.SigningHash(), signed.SigningHash());
        Assert.NotEqual(unsigned.Hash(), signed.Hash());
    }
}
