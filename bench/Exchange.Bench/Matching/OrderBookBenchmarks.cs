using BenchmarkDotNet.Attributes;
using Exchange.Core.Markets.Book;

namespace Exchange.Bench.Matching;

/// <summary>
/// BenchmarkDotNet view of the book: a batch of each mix's measured ops on each book, reported per
/// op. Every iteration needs a fresh book with the prefix replayed, so an iteration is one
/// invocation of one whole batch, about 100 ms on the fast book. Tiered compilation needs about a
/// second of such iterations before the book's code is final, hence the long warm-up; with three
/// warm-up iterations (<c>--job short</c>) the fast book reads nearly twice as slow as it is.
/// The <c>matching</c> suite is the one whose figures are kept.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
[WarmupCount(15)]
public class OrderBookBenchmarks
{
    private const int BatchOps = 1_000_000;

    private readonly BookEvents _events = new();
    private MatchingStream _stream = null!;
    private IOrderBook _book = null!;

    [ParamsAllValues]
    public MatchingMix Mix { get; set; }

    [ParamsAllValues]
    public BookKind Book { get; set; }

    [GlobalSetup]
    public void Generate() => _stream = Mix.Generate(MatchingCommand.DefaultSeed, BatchOps);

    [IterationSetup]
    public void FreshBook() => _book = MatchingLoops.Prepare(Book, _stream, _events);

    [Benchmark(OperationsPerInvoke = BatchOps)]
    public long ApplyBatch()
    {
        long produced = 0;
        foreach (var op in _stream.Measured)
        {
            _events.Clear();
            op.Apply(_book, _events);
            produced += _events.Count;
        }
        return produced;
    }
}
