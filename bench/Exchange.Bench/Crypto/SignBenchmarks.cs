using BenchmarkDotNet.Attributes;
using Exchange.Core.Crypto;

namespace Exchange.Bench.Crypto;

/// <summary>BenchmarkDotNet view of signing: the cost of one BIP340 signature through the binding.</summary>
[MemoryDiagnoser]
public class SignBenchmarks
{
    private KeyPair _key = null!;
    private Hash32 _message;

    [GlobalSetup]
    public void Setup()
    {
        var set = SignatureSet.Create(1);
        _key = set.Keys[0];
        _message = set.Items[0].Message;
    }

    [Benchmark]
    public Signature Sign() => _key.Sign(_message, SignatureSet.AuxRand);
}
