using System.Buffers;

namespace Exchange.Core.Ledger;

/// <summary>Lexical rules for the identifiers carried in transactions.</summary>
public static class Names
{
    public const int MaxChainIdLength = 32;
    public const int MaxInstrumentLength = 40;
    public const int MaxUnderlyingLength = 8;
    public const int MaxDestinationLength = 64;

    /// <summary>Chain ids are lower-case letters, digits and '-', like "exchange-devnet-1".</summary>
    public static bool IsValidChainId(string s) =>
        s.Length is > 0 and <= MaxChainIdLength && !s.AsSpan().ContainsAnyExcept(ChainIdChars);

    /// <summary>Instrument names are upper-case letters, digits and '-', like "BTC-27DEC26-100000-C".</summary>
    public static bool IsValidInstrumentName(string s) =>
        s.Length is > 0 and <= MaxInstrumentLength && !s.AsSpan().ContainsAnyExcept(InstrumentChars);

    /// <summary>Underlying index symbols are 2 to 8 upper-case letters, like "BTC".</summary>
    public static bool IsValidUnderlying(string s) =>
        s.Length is >= 2 and <= MaxUnderlyingLength && !s.AsSpan().ContainsAnyExceptInRange('A', 'Z');

    /// <summary>An external withdrawal address: non-empty printable ASCII without spaces.</summary>
    public static bool IsValidDestination(string s) =>
        s.Length is > 0 and <= MaxDestinationLength && !s.AsSpan().ContainsAnyExceptInRange('!', '~');

    // Every transaction names its chain and most name an instrument, and every node checks them as it decodes: a
    // vectorised search instead of a delegate call per character.
    private static readonly SearchValues<char> ChainIdChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");
    private static readonly SearchValues<char> InstrumentChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
}
