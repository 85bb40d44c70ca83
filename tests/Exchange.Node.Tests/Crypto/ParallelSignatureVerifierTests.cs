using System.Buffers.Binary;
using Exchange.Core.Crypto;
using Exchange.Node.Crypto;

namespace Exchange.Node.Tests.Crypto;

public sealed class ParallelSignatureVerifierTests
{
    private static readonly byte[] ZeroAux = new byte[32];

    /// <summary>Signer i's secret is SHA-256 of i, message i is SHA-256 of i's negation: fixed, distinct, no randomness.</summary>
    private static SignedMessage[] SignedBatch(int count)
    {
        var batch = new SignedMessage[count];
        Span<byte> seed = stackalloc byte[4];
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(seed, i);
            var key = KeyPair.FromSecret(Hash32.Compute(seed).ToArray());
            BinaryPrimitives.WriteInt32BigEndian(seed, ~i);
            var message = Hash32.Compute(seed);
            batch[i] = new SignedMessage(key.PublicKey, message, key.Sign(message, ZeroAux));
        }
        return batch;
    }

    /// <summary>Flips one bit of s, which leaves the key well-formed and the signature wrong.</summary>
    private static SignedMessage WithCorruptSignature(SignedMessage m)
    {
        var bytes = m.Signature.ToArray();
        bytes[63] ^= 1;
        return m with { Signature = new Signature(bytes) };
    }

    /// <summary>A batch with every n-th signature corrupt, and each item's outcome checked one at a time.</summary>
    private static (SignedMessage[] Batch, SignatureCheck[] Expected) MixedBatch(int count, int corruptEvery)
    {
        var batch = SignedBatch(count);
        for (var i = 0; i < batch.Length; i += corruptEvery) batch[i] = WithCorruptSignature(batch[i]);
        return (batch, batch.Select(m => m.Verify()).ToArray());
    }

    /// <summary>x = 5 has no point on secp256k1 (5³ + 7 = 132 is not a square mod p).</summary>
    private static SignedMessage WithKeyOffCurve(SignedMessage m)
    {
        var bytes = new byte[32];
        bytes[31] = 5;
        return m with { Signer = new PublicKey(bytes) };
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(4, 257)]
    public void Valid_signatures_should_all_verify(int workers, int count)
    {
        var batch = SignedBatch(count);
        var results = new SignatureCheck[count];
        Array.Fill(results, SignatureCheck.InvalidSignature);

        new ParallelSignatureVerifier(workers).Verify(batch, results);

        Assert.All(results, r => Assert.Equal(SignatureCheck.Valid, r));
    }

    [Fact]
    public void Bad_items_should_be_reported_at_exactly_their_indices()
    {
        var batch = SignedBatch(200);
        int[] corrupt = [0, 17, 18, 99, 199];
        int[] offCurve = [5, 150];
        foreach (var i in corrupt) batch[i] = WithCorruptSignature(batch[i]);
        foreach (var i in offCurve) batch[i] = WithKeyOffCurve(batch[i]);
        var results = new SignatureCheck[batch.Length];

        new ParallelSignatureVerifier(Math.Max(2, Environment.ProcessorCount)).Verify(batch, results);

        for (var i = 0; i < batch.Length; i++)
        {
            var expected = corrupt.Contains(i) ? SignatureCheck.InvalidSignature
                : offCurve.Contains(i) ? SignatureCheck.InvalidPublicKey
                : SignatureCheck.Valid;
            Assert.True(expected == results[i], $"item {i}: expected {expected}, got {results[i]}");
        }
    }

    [Fact]
    public void Results_should_match_one_at_a_time_verification_over_many_batches()
    {
        var (batch, expected) = MixedBatch(64, corruptEvery: 3);
        var verifier = new ParallelSignatureVerifier(3);

        for (var round = 0; round < 50; round++)
        {
            var results = new SignatureCheck[batch.Length];
            verifier.Verify(batch, results);
            Assert.Equal(expected, results);
        }
    }

    [Fact]
    public void Callers_on_many_threads_should_each_get_every_result_before_returning()
    {
        // More callers than cores, each with more helpers than cores: helpers are often still inside a claim, or
        // not yet started, when their caller runs out of items, which is the wait Close must get right. A result not
        // yet written when Verify returns shows up as the fill value.
        var (batch, expected) = MixedBatch(37, corruptEvery: 5);
        var verifier = new ParallelSignatureVerifier(4);
        var mismatches = 0;

        Parallel.For(0, 6, new ParallelOptions { MaxDegreeOfParallelism = 6 }, _ =>
        {
            for (var round = 0; round < 40; round++)
            {
                var results = new SignatureCheck[batch.Length];
                Array.Fill(results, (SignatureCheck)(-1));
                verifier.Verify(batch, results);
                if (!results.SequenceEqual(expected)) Interlocked.Increment(ref mismatches);
            }
        });

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void An_empty_batch_should_verify_to_nothing()
    {
        ParallelSignatureVerifier.AllCores.Verify(ReadOnlySpan<SignedMessage>.Empty, Span<SignatureCheck>.Empty);
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(2, 3)]
    [InlineData(0, 1)]
    public void Mismatched_lengths_should_throw(int items, int results)
    {
        var batch = SignedBatch(items);
        var verifier = ParallelSignatureVerifier.AllCores;

        Assert.Throws<ArgumentException>(() => verifier.Verify(batch, new SignatureCheck[results]));
    }

    [Fact]
    public void Fewer_than_one_worker_should_be_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParallelSignatureVerifier(0));
    }
}
