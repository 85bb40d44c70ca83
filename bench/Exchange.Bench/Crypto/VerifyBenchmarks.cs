using BenchmarkDotNet.Attributes;
using Exchange.Core.Crypto;
using Exchange.Node.Crypto;

namespace Exchange.Bench.Crypto;

/// <summary>BenchmarkDotNet view of verification: one signature on one core, and a batch on all cores.</summary>
[MemoryDiagnoser]
public class VerifyBenchmarks
{
    private const int BatchSize = 1024;
    private SignedMessage[] _batch = null!;
    private SignatureCheck[] _results = null!;

    [GlobalSetup]
    public void Setup()
    {
        _batch = SignatureSet.Create(BatchSize).Items;
        _results = new SignatureCheck[BatchSize];
    }

    [Benchmark(Baseline = true)]
    public SignatureCheck Verify() => Schnorr.Verify(_batch[0].Signer, _batch[0].Message, _batch[0].Signature);

    /// <summary>Reported per signature, so it compares directly with <see cref="Verify"/>.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void VerifyBatchAllCores() => ParallelSignatureVerifier.AllCores.Verify(_batch, _results);
}
