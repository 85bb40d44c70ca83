using Exchange.Core.Ledger;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Exchange.Core.Tests.Ledger;

/// <summary>
/// Each lexical rule of <see cref="Names"/> against the rule written out character by character, over strings of
/// every length around the limits, made of allowed characters, their near misses (the other case, '_', ' ', '~'
/// and '!', non-ASCII letters, control characters) and a few of each.
/// </summary>
public class NamesProperties
{
    [Property(Replay = "(2621, 3141)", MaxTest = 3_000, Arbitrary = [typeof(NameCandidates)])]
    public void Chain_ids_should_be_one_to_32_lower_case_letters_digits_and_dashes(string s) =>
        Assert.Equal(s.Length is >= 1 and <= 32 && s.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'), Names.IsValidChainId(s));

    [Property(Replay = "(2622, 3141)", MaxTest = 3_000, Arbitrary = [typeof(NameCandidates)])]
    public void Instrument_names_should_be_one_to_40_upper_case_letters_digits_and_dashes(string s) =>
        Assert.Equal(s.Length is >= 1 and <= 40 && s.All(c => c is >= 'A' and <= 'Z' or >= '0' and <= '9' or '-'), Names.IsValidInstrumentName(s));

    [Property(Replay = "(2623, 3141)", MaxTest = 3_000, Arbitrary = [typeof(NameCandidates)])]
    public void Underlyings_should_be_two_to_eight_upper_case_letters(string s) =>
        Assert.Equal(s.Length is >= 2 and <= 8 && s.All(c => c is >= 'A' and <= 'Z'), Names.IsValidUnderlying(s));

    [Property(Replay = "(2624, 3141)", MaxTest = 3_000, Arbitrary = [typeof(NameCandidates)])]
    public void Destinations_should_be_one_to_64_printable_ascii_characters_without_spaces(string s) =>
        Assert.Equal(s.Length is >= 1 and <= 64 && s.All(c => c is >= '!' and <= '~'), Names.IsValidDestination(s));

    [Fact]
    public void The_devnet_names_should_pass_their_rules()
    {
        Assert.True(Names.IsValidChainId("exchange-devnet-1"));
        Assert.True(Names.IsValidInstrumentName("BTC-27DEC26-100000-C"));
        Assert.True(Names.IsValidUnderlying("ETH"));
        Assert.False(Names.IsValidInstrumentName("btc-27DEC26-100000-C"));
        Assert.False(Names.IsValidChainId(""));
    }
}

public static class NameCandidates
{
    // One alphabet per string, so each rule sees valid strings as often as invalid ones; a few characters from outside it.
    private static readonly Gen<char[]> Alphabets = Gen.Elements(
        "abcdefghijklmnopqrstuvwxyz0123456789-".ToCharArray(),
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-".ToCharArray(),
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ".ToCharArray(),
        Enumerable.Range('!', '~' - '!' + 1).Select(i => (char)i).ToArray());
    private static readonly Gen<char> NearMiss = Gen.Elements('_', ' ', '~', '!', '`', '{', '@', '[', '/', ':', 'a', 'Z', '\u00e9', '\u00c9', '\0', '\u007f', '\u0130');
    private static readonly Gen<char> AnyChar = Gen.Choose(0, 0x2FF).Select(i => (char)i);

    public static Arbitrary<string> Strings() => Arb.From(
        from alphabet in Alphabets
        from length in Gen.Frequency((4, Gen.Choose(0, 10)), (3, Gen.Choose(28, 70)), (1, Gen.Choose(0, 200)))
        from outside in Gen.Frequency((3, Gen.Constant(0.0)), (1, Gen.Constant(0.02)), (1, Gen.Constant(0.2)))
        from chars in Gen.Frequency(
            ((int)(1_000 * (1 - outside)), Gen.Elements(alphabet)),
            ((int)(500 * outside), NearMiss),
            ((int)(500 * outside), AnyChar)).ArrayOf(length)
        select new string(chars));
}
