using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;
using Exchange.Node.Peers;

namespace Exchange.Node.Tests.Peers;

public class HelloTests
{
    private const string AliceAddress = "akka.tcp://exchange@127.0.0.1:4053";
    private const string BobAddress = "akka.tcp://exchange@127.0.0.1:4054";
    private const long AliceUid = 11;
    private const long BobUid = -22;

    private static Hello FromAliceToBob(string chain = WireFixtures.Chain, long toUid = BobUid) =>
        Hello.Create(chain, WireFixtures.Alice, ["validator"], AliceAddress, AliceUid, BobAddress, toUid, false, WireFixtures.ZeroAux);

    [Fact]
    public void Hello_should_verify_at_the_node_and_incarnation_it_names_when_it_arrives_from_its_sender()
    {
        Assert.Equal(HelloCheck.Valid, FromAliceToBob().Check(WireFixtures.Chain, BobAddress, BobUid, AliceAddress));
    }

    [Fact]
    public void Hello_for_another_chain_should_be_refused() =>
        Assert.Equal(HelloCheck.WrongChain, FromAliceToBob("other-chain").Check(WireFixtures.Chain, BobAddress, BobUid, AliceAddress));

    [Fact]
    public void Hello_replayed_to_another_node_or_a_later_incarnation_should_be_refused()
    {
        var hello = FromAliceToBob();
        Assert.Equal(HelloCheck.NotForThisNode, hello.Check(WireFixtures.Chain, "akka.tcp://exchange@127.0.0.1:4055", BobUid, AliceAddress));
        Assert.Equal(HelloCheck.NotForThisNode, hello.Check(WireFixtures.Chain, BobAddress, BobUid + 1, AliceAddress));
    }

    [Fact]
    public void Hello_arriving_from_another_address_than_it_claims_should_be_refused() =>
        Assert.Equal(HelloCheck.WrongSender, FromAliceToBob().Check(WireFixtures.Chain, BobAddress, BobUid, "akka.tcp://exchange@10.0.0.9:4053"));

    [Fact]
    public void Hello_claiming_another_key_or_altered_after_signing_should_be_refused()
    {
        var hello = FromAliceToBob();
        Assert.Equal(HelloCheck.InvalidSignature, (hello with { Key = WireFixtures.Bob.PublicKey }).Check(WireFixtures.Chain, BobAddress, BobUid, AliceAddress));
        Assert.Equal(HelloCheck.InvalidSignature, (hello with { Roles = ["fullnode"] }).Check(WireFixtures.Chain, BobAddress, BobUid, AliceAddress));
        Assert.Equal(HelloCheck.InvalidSignature, (hello with { Key = new PublicKey(new byte[32]) }).Check(WireFixtures.Chain, BobAddress, BobUid, AliceAddress));
    }

    [Fact]
    public void Decoder_should_refuse_unsorted_roles_and_unknown_versions()
    {
        var unsorted = FromAliceToBob() with { Roles = ["validator", "gateway"] };
        Assert.False(Decoding.TryDecode(Hello.Decode, unsorted.Encode(), out _, out var order));
        Assert.Equal(DecodeError.NonCanonicalOrder, order!.Error);

        var bytes = FromAliceToBob().Encode();
        bytes[0] = 2;
        Assert.False(Decoding.TryDecode(Hello.Decode, bytes, out _, out var version));
        Assert.Equal(DecodeError.UnknownVersion, version!.Error);
    }
}
