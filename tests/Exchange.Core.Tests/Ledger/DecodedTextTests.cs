using Exchange.Core.Ledger.Codec;

namespace Exchange.Core.Tests.Ledger;

/// <summary>Decoded text may come from a table of strings met before; what decoding returns must not depend on it.</summary>
public class DecodedTextTests
{
    private static string Decode(string text)
    {
        var w = new CanonicalWriter();
        w.WriteText(text, 256);
        var r = new CanonicalReader(w.Written);
        return r.ReadText("text", 256);
    }

    [Fact]
    public void Text_met_again_should_be_the_same_string()
    {
        var first = Decode("BTC-27DEC26-60000-C");
        var second = Decode("BTC-27DEC26-60000-C");
        Assert.Equal("BTC-27DEC26-60000-C", first);
        Assert.Same(first, second);
    }

    [Fact]
    public void Many_more_texts_than_slots_should_each_decode_to_themselves()
    {
        // Five thousand names in a thousand slots: every slot is taken over many times, twice round.
        var names = Enumerable.Range(0, 5_000).Select(i => $"ETH-{i % 97:D2}MAR27-{i}-{(i % 2 == 0 ? 'C' : 'P')}").ToArray();
        foreach (var round in new[] { 1, 2 })
            foreach (var name in names)
                Assert.Equal(name, Decode(name));
    }

    [Fact]
    public void Long_and_empty_texts_should_decode_to_themselves()
    {
        var longText = new string('x', 200);
        Assert.Equal(longText, Decode(longText));
        Assert.NotSame(Decode(longText), Decode(longText));
        Assert.Same(string.Empty, Decode(""));
    }

    [Fact]
    public void Refused_text_should_leave_the_writer_as_it_was()
    {
        var w = new CanonicalWriter();
        w.WriteVarUInt(7);
        Assert.Throws<ArgumentException>(() => w.WriteText("caf\u00e9", 32));
        Assert.Throws<ArgumentException>(() => w.WriteText("tab\there", 32));
        Assert.Throws<ArgumentException>(() => w.WriteText(new string('a', 33), 32));
        Assert.Equal(new byte[] { 7 }, w.Written.ToArray());
    }
}
