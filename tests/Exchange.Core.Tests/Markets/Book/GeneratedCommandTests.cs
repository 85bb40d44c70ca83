using Exchange.Core.Markets.Book;
using Xunit.Abstractions;

namespace Exchange.Core.Tests.Markets.Book;

/// <summary>
/// The same long seeded command stream through the reference and the fast book: the event streams
/// and state hashes must be identical, and both books must satisfy their invariants after every step.
/// </summary>
public class GeneratedCommandTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(20261123UL, 50_000)]
    [InlineData(7UL, 20_000)]
    public void Fast_and_reference_books_should_agree_on_every_event_and_hash(ulong seed, int commands)
    {
        var report = BookComparison.Run(seed, commands, validateEveryStep: true);
        output.WriteLine($"seed {seed}: {report}");
        Assert.True(report.Divergence is null, $"seed {seed}: {report.Divergence}");
        Assert.True(report.Fills > commands / 20, $"seed {seed}: only {report.Fills} fills; the stream should trade often");
        Assert.True(report.Rejections > commands / 50, $"seed {seed}: only {report.Rejections} rejections; bad input should be common");
        Assert.True(report.PeakResting > 50, $"seed {seed}: the book never grew past {report.PeakResting} orders");
    }
}

/// <summary>Runs one command stream through both books and reports the first divergence, if any.</summary>
public static class BookComparison
{
    public sealed record Report(int Commands, long Events, long Fills, long Rejections, int PeakResting, string? Divergence)
    {
        public override string ToString() =>
            $"{Commands:N0} commands, {Events:N0} events, {Fills:N0} fills, {Rejections:N0} rejections, peak {PeakResting} resting" +
            (Divergence is null ? "" : $"; DIVERGED: {Divergence}");
    }

    public static Report Run(ulong seed, int commands, bool validateEveryStep, Action<int>? progress = null)
    {
        var spec = BookFixture.Spec with { MaxOpenOrdersPerAccount = 60 };
        var reference = new ReferenceOrderBook(spec);
        var fast = new FastOrderBook(spec);
        var generator = new BookCommandGenerator(seed);
        var expected = new BookEvents();
        var actual = new BookEvents();
        long events = 0, fills = 0, rejections = 0;
        var peak = 0;
        for (var i = 0; i < commands; i++)
        {
            var command = generator.Next();
            expected.Clear();
            actual.Clear();
            command.Apply(reference, expected);
            command.Apply(fast, actual);
            if (!expected.Span.SequenceEqual(actual.Span))
                return new Report(i, events, fills, rejections, peak,
                    $"command {i} {command}: reference [{string.Join("; ", expected.ToList())}] fast [{string.Join("; ", actual.ToList())}]");
            foreach (var e in expected.Span)
            {
                if (e.Type == BookEventType.Filled) fills++;
                else if (e.Type == BookEventType.Rejected) rejections++;
            }
            events += expected.Count;
            peak = Math.Max(peak, fast.Count);
            if (validateEveryStep)
            {
                reference.ValidateInternalState();
                fast.ValidateInternalState();
            }
            if (i % 1_000 == 999 || i == commands - 1)
            {
                if (reference.StateHash() != fast.StateHash())
                    return new Report(i, events, fills, rejections, peak, $"state hashes differ after command {i}");
                progress?.Invoke(i + 1);
            }
        }
        return new Report(commands, events, fills, rejections, peak, null);
    }
}
