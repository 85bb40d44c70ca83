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
        s.Length is > 0 and <= MaxChainIdLength && All(s, c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-');

    /// <summary>Instrument names are upper-case letters, digits and '-', like "BTC-27DEC26-100000-C".</summary>
    public static bool IsValidInstrumentName(string s) =>
        s.Length is > 0 and <= MaxInstrumentLength && All(s, c => c is >= 'A' and <= 'Z' or >= '0' and <= '9' or '-');

    /// <summary>Underlying index symbols are 2 to 8 upper-case letters, like "BTC".</summary>
    public static bool IsValidUnderlying(string s) =>
        s.Length is >= 2 and <= MaxUnderlyingLength && All(s, c => c is >= 'A' and <= 'Z');

    /// <summary>An external withdrawal address: non-empty printable ASCII without spaces.</summary>
    public static bool IsValidDestination(string s) =>
        s.Length is > 0 and <= MaxDestinationLength && All(s, c => c is > ' ' and <= '~');

    private static bool All(string s, Func<char, bool> ok)
    {
        foreach (var c in s)
            if (!ok(c)) return false;
        return true;
    }
}
