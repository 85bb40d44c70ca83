using Exchange.Core.Markets.Book;

namespace Exchange.Bench.Matching;

/// <summary>The two implementations of <see cref="IOrderBook"/> the suite compares.</summary>
public enum BookKind { Fast, Reference }

internal static class BookKinds
{
    public static IOrderBook Create(this BookKind kind) => kind switch
    {
        BookKind.Fast => new FastOrderBook(MixGenerator.Spec),
        BookKind.Reference => new ReferenceOrderBook(MixGenerator.Spec),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown book kind"),
    };
}
