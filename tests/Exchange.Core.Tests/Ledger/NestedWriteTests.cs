using Exchange.Core.Ledger.Codec;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Exchange.Core.Tests.Ledger;

/// <summary>A message written in place (BeginNested/EndNested) comes out byte for byte as its own encoding written with WriteBytes.</summary>
public class NestedWriteTests
{
    private const string Seed = "(20261206,1)";

    /// <summary>Lengths around every varint boundary a block can reach (1, 2 and 3 prefix bytes), and small ones.</summary>
    private static readonly Gen<int> Lengths = Gen.OneOf(
        Gen.Choose(0, 300),
        Gen.Elements(126, 127, 128, 129, 16_382, 16_383, 16_384, 16_385, 2_097_151, 2_097_152));

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Property(MaxTest = 60, Replay = Seed)]
    public Property Nested_should_equal_a_length_prefixed_copy() =>
        Prop.ForAll(Lengths.ToArbitrary(), Gen.Choose(0, 40).ToArbitrary(), Gen.Choose(1, 4096).ToArbitrary(), (length, before, capacity) =>
        {
            var body = Bytes(length, length);
            var prefix = Bytes(before, before + 1);

            var expected = new CanonicalWriter();
            expected.WriteEncoded(prefix);
            expected.WriteBytes(body);
            expected.WriteByte(0xEE);

            // A small writer, so the nested body also crosses growth of the buffer.
            var actual = new CanonicalWriter(capacity);
            actual.WriteEncoded(prefix);
            var mark = actual.BeginNested();
            actual.WriteEncoded(body);
            actual.EndNested(mark);
            actual.WriteByte(0xEE);

            return actual.Written.SequenceEqual(expected.Written);
        });

    [Property(MaxTest = 40, Replay = Seed)]
    public Property Nested_inside_nested_should_equal_nested_copies() =>
        Prop.ForAll(Lengths.ToArbitrary(), Lengths.ToArbitrary(), (inner, outerTail) =>
        {
            var innerBody = Bytes(inner, 7);
            var tail = Bytes(outerTail % 1000, 8);

            var innerWriter = new CanonicalWriter();
            innerWriter.WriteBytes(innerBody);
            innerWriter.WriteEncoded(tail);
            var expected = new CanonicalWriter();
            expected.WriteByte(1);
            expected.WriteBytes(innerWriter.ToArray());

            var actual = new CanonicalWriter(16);
            actual.WriteByte(1);
            var outer = actual.BeginNested();
            var nested = actual.BeginNested();
            actual.WriteEncoded(innerBody);
            actual.EndNested(nested);
            actual.WriteEncoded(tail);
            actual.EndNested(outer);

            return actual.Written.SequenceEqual(expected.Written);
        });
}
