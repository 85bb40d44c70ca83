using System.Diagnostics;
using Exchange.Core.Crypto;
using Exchange.Node.Crypto;

namespace Exchange.Bench.Crypto;

/// <summary>
/// The timed loops of the crypto benchmark. Each pass works through the whole set once and
/// checks the outcome, so a broken binding shows up as a failure rather than as a fast number.
/// </summary>
internal sealed class CryptoLoops(SignatureSet set, ParallelSignatureVerifier verifier)
{
    private readonly SignatureCheck[] _results = new SignatureCheck[set.Count];
    /// <summary>Room for every key of the set, as a node keeps its traders' and validators' keys parsed.</summary>
    private readonly ParsedKeys _kept = new(4 * set.Count);
    private Signature _lastSignature;

    /// <summary>The loops over the crypto suite's own set of signatures, for a rate measured elsewhere to be the suite's.</summary>
    public static CryptoLoops OverTheSuitesSet() => new(SignatureSet.Create(CryptoCommand.SetSize), ParallelSignatureVerifier.AllCores);

    /// <summary>Runs whole passes until <paramref name="duration"/> has gone by; returns operations per second.</summary>
    public static double PerSecond(TimeSpan duration, Func<int> onePass)
    {
        long done = 0;
        var start = Stopwatch.GetTimestamp();
        TimeSpan elapsed;
        do
        {
            done += onePass();
            elapsed = Stopwatch.GetElapsedTime(start);
        } while (elapsed < duration);
        return done / elapsed.TotalSeconds;
    }

    public int SignPass()
    {
        var keys = set.Keys;
        var items = set.Items;
        for (var i = 0; i < keys.Length; i++) _lastSignature = keys[i].Sign(items[i].Message, SignatureSet.AuxRand);
        if (_lastSignature != items[^1].Signature) throw new InvalidOperationException("signing is no longer deterministic");
        return keys.Length;
    }

    /// <summary>Parses the key and verifies, one signature after another: the same work as the C loop.</summary>
    public int VerifyPass()
    {
        var items = set.Items;
        var valid = 0;
        for (var i = 0; i < items.Length; i++)
            if (Schnorr.Verify(items[i].Signer, items[i].Message, items[i].Signature) == SignatureCheck.Valid) valid++;
        return valid == items.Length ? valid : throw new InvalidOperationException("a signature stopped verifying");
    }

    /// <summary>Verifies with each key parsed once before (<see cref="ParsedKeys"/>), as a node does for signers it has seen.</summary>
    public int VerifyKeptKeyPass()
    {
        var items = set.Items;
        var valid = 0;
        for (var i = 0; i < items.Length; i++)
            if (_kept.Verify(items[i].Signer, items[i].Message, items[i].Signature) == SignatureCheck.Valid) valid++;
        return valid == items.Length ? valid : throw new InvalidOperationException("a signature stopped verifying with its key kept");
    }

    /// <summary>The node's batch verifier on every core; it keeps keys parsed (<see cref="ParsedKeys.Shared"/>) like the kept-key pass.</summary>
    public int VerifyAllCoresPass()
    {
        verifier.Verify(set.Items, _results);
        return Array.TrueForAll(_results, r => r == SignatureCheck.Valid)
            ? _results.Length
            : throw new InvalidOperationException("a signature stopped verifying in parallel");
    }
}
