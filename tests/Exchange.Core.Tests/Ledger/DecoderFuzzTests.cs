using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;
using Xunit.Abstractions;

namespace Exchange.Core.Tests.Ledger;

/// <summary>
/// Hostile bytes reach the decoder from the network. Whatever arrives, the only outcome is a value or
/// a typed <see cref="DecodeException"/>: no other exception, no hang, and anything accepted is canonical
/// (it re-encodes to the very same bytes, so it has no second encoding).
/// </summary>
public class DecoderFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261123;
    private const int Inputs = 100_000;

    [Fact]
    public void Decoder_should_meet_random_and_mutated_bytes_with_typed_errors_only()
    {
        var random = new Random(Seed);
        var valid = LedgerFixtures.OneOfEachKind()
            .Select((p, i) => LedgerFixtures.Signed(LedgerFixtures.Alice, (ulong)i + 1, p).Encode())
            .ToArray();
        var block = EvidenceTests.WithEvidence(BlockFixtures.ChainOf(3, txsPerBlock: 4)[^1],
            EvidenceFixtures.DoublePrevote(LedgerFixtures.Alice, LedgerFixtures.ChainA, 1), EvidenceFixtures.DoubleProposal(LedgerFixtures.Bob, LedgerFixtures.ChainA, 2)).Encode();
        var evidence = new[]
        {
            EvidenceFixtures.BlockAndNil(LedgerFixtures.Alice, LedgerFixtures.ChainA, 3).Encode(),
            EvidenceFixtures.DoubleProposal(LedgerFixtures.Bob, LedgerFixtures.ChainA, 4, 2).Encode(),
        };
        var errors = new Dictionary<DecodeError, int>();
        int accepted = 0, input = 0;
        try
        {
            for (input = 0; input < Inputs; input++)
            {
                var bytes = Next(random, input, valid, block, evidence);
                var ok = (input % 10) switch
                {
                    9 => Check(Block.Decode, b => b.Encode(), bytes, errors),
                    8 => Check(EquivocationEvidence.Decode, e => e.Encode(), bytes, errors),
                    _ => Check(Transaction.Decode, t => t.Encode(), bytes, errors),
                };
                if (ok) accepted++;
            }
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"seed {Seed}, input {input}: {e.GetType().Name} escaped the decoder: {e.Message}");
        }
        output.WriteLine($"seed {Seed}: {Inputs} inputs, {accepted} accepted, rejections: " +
                         string.Join(", ", errors.OrderBy(e => e.Key).Select(e => $"{e.Key}={e.Value}")));
        Assert.True(accepted > 0, "mutations that keep the encoding valid should sometimes decode");
        Assert.True(errors.Count >= 6, "the corpus should reach most decode errors");
    }

    /// <summary>Accepted bytes must re-encode identically; refused ones are tallied by error.</summary>
    private static bool Check<T>(SpanDecoder<T> decode, Func<T, byte[]> encode, byte[] bytes, Dictionary<DecodeError, int> errors) where T : class
    {
        if (Decoding.TryDecode(decode, bytes, out var value, out var error))
        {
            Assert.Equal(bytes, encode(value!));
            return true;
        }
        errors[error!.Error] = errors.GetValueOrDefault(error.Error) + 1;
        return false;
    }

    /// <summary>
    /// One input in five is random bytes; the rest are valid encodings (transactions, evidence at inputs ending in 8, a
    /// block carrying evidence at those ending in 9) with a few bytes flipped, cut, inserted or repeated.
    /// </summary>
    private static byte[] Next(Random random, int index, byte[][] valid, byte[] block, byte[][] evidence)
    {
        if (index % 5 == 0)
        {
            var junk = new byte[random.Next(0, 300)];
            random.NextBytes(junk);
            return junk;
        }
        var source = (index % 10) switch
        {
            9 => block,
            8 => evidence[random.Next(evidence.Length)],
            _ => valid[random.Next(valid.Length)],
        };
        var bytes = new List<byte>(source);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = (byte)random.Next(256); break;
                case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                case 3: bytes.Insert(at, (byte)random.Next(256)); break;
                case 4: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(8, bytes.Count - at))); break;
                default: throw new InvalidOperationException("unreachable mutation");
            }
        }
        return bytes.ToArray();
    }
}
