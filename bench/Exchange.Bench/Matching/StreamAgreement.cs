using Exchange.Core.Crypto;
using Exchange.Core.Markets.Book;

namespace Exchange.Bench.Matching;

/// <summary>The sanity pass made once per stream before any timing.</summary>
internal static class StreamAgreement
{
    /// <summary>
    /// Runs prefix and measured ops through both books side by side and requires identical events
    /// after every op and equal hashes at the end: a fast book that went wrong fails here rather
    /// than reporting a figure. Returns the measured ops' event count and the final hash.
    /// </summary>
    public static (long Events, Hash32 Hash) Check(MatchingStream stream)
    {
        var fast = BookKind.Fast.Create();
        var reference = BookKind.Reference.Create();
        var expected = new BookEvents();
        var actual = new BookEvents();
        long measuredEvents = 0;
        var index = 0;
        foreach (var op in stream.Prefix) Compare(op);
        foreach (var op in stream.Measured) measuredEvents += Compare(op);
        var hash = fast.StateHash();
        if (hash != reference.StateHash()) throw new InvalidOperationException($"{stream.Name}: the books' state hashes differ at the end");
        fast.ValidateInternalState();
        reference.ValidateInternalState();
        return (measuredEvents, hash);

        int Compare(in BookOp op)
        {
            expected.Clear();
            actual.Clear();
            op.Apply(reference, expected);
            op.Apply(fast, actual);
            if (!expected.Span.SequenceEqual(actual.Span))
                throw new InvalidOperationException($"{stream.Name}: the books disagree at op {index} {op}: reference [{string.Join("; ", expected.ToList())}] fast [{string.Join("; ", actual.ToList())}]");
            index++;
            return expected.Count;
        }
    }
}
