using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using Exchange.Core.Markets;

namespace Exchange.Core.Tests.Markets;

/// <summary>
/// Throws ~20,000 generated names at the parser: random strings over the name alphabet, names
/// assembled from good and bad parts, and valid names with a few characters mutated. Each answer
/// is checked against a reference written from the naming rules alone (a regular expression, the
/// calendar and the range of a price), and every accepted name must be the one spelling of its series.
/// </summary>
public partial class OptionSeriesNameFuzzTests
{
    private const int Seed = 20_261_127;
    private const int Cases = 20_000;

    private static readonly string[] MonthCodes = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-d";
    private const string Noise = "abcxyz.+e _\t\n\u0661\uFF11";

    [GeneratedRegex(@"\A(?<u>[A-Z]{2,8})-(?<day>[1-9][0-9]?)(?<mon>JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)(?<yy>[0-9]{2})-(?<whole>0|[1-9][0-9]*)(?:d(?<frac>[0-9]{0,5}[1-9]))?-[CP]\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [Fact]
    public void TryParse_should_never_throw_and_accept_exactly_the_canonical_names()
    {
        var random = new Random(Seed);
        var accepted = 0;
        for (var i = 0; i < Cases; i++)
        {
            var text = (i % 3) switch
            {
                0 => RandomText(random),
                1 => Assembled(random),
                _ => Mutated(random),
            };
            var context = $"seed {Seed}, case {i}, input \"{text}\"";

            bool ok;
            OptionSeries? series;
            string error;
            try
            {
                ok = OptionSeries.TryParse(text, out series, out error);
            }
            catch (Exception e)
            {
                Assert.Fail($"{context}: threw {e}");
                return;
            }

            Assert.True(IsValidByReference(text) == ok, $"{context}: parser says {ok}, reference says {!ok} ({error})");
            if (ok)
            {
                accepted++;
                Assert.True(series!.Name == text, $"{context}: formats back as \"{series.Name}\"");
                Assert.True(error == "", $"{context}: accepted with error \"{error}\"");
            }
            else
            {
                Assert.True(series is null, $"{context}: refused but gave a series");
                Assert.True(error.Length > 0, $"{context}: refused without a reason");
            }
        }

        // Both answers must be common (about one name in eleven is accepted), or the fuzz tests only one of them.
        Assert.InRange(accepted, Cases / 20, Cases - Cases / 20);
    }

    private static bool IsValidByReference(string text)
    {
        var m = NamePattern().Match(text);
        if (!m.Success) return false;
        var year = 2000 + int.Parse(m.Groups["yy"].Value, CultureInfo.InvariantCulture);
        var month = Array.IndexOf(MonthCodes, m.Groups["mon"].Value) + 1;
        if (int.Parse(m.Groups["day"].Value, CultureInfo.InvariantCulture) > DateTime.DaysInMonth(year, month)) return false;
        var raw = BigInteger.Parse(m.Groups["whole"].Value + m.Groups["frac"].Value.PadRight(6, '0'), CultureInfo.InvariantCulture);
        return raw > 0 && raw <= long.MaxValue;
    }

    private static string RandomText(Random random)
    {
        var length = random.Next(0, 28);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
            chars[i] = random.Next(10) == 0 ? Noise[random.Next(Noise.Length)] : Alphabet[random.Next(Alphabet.Length)];
        return new string(chars);
    }

    /// <summary>Four (sometimes three or five) parts, each usually well-formed and sometimes subtly not.</summary>
    private static string Assembled(Random random)
    {
        var parts = new List<string> { Underlying(random), Day(random), Strike(random), random.Next(8) == 0 ? Pick(random, "c", "p", "X", "", "CP", "C ") : Pick(random, "C", "P") };
        if (random.Next(20) == 0) parts.RemoveAt(random.Next(parts.Count));
        if (random.Next(20) == 0) parts.Insert(random.Next(parts.Count + 1), Pick(random, "", "C", "BTC", "27DEC26"));
        return string.Join('-', parts);
    }

    private static string Underlying(Random random) => random.Next(8) == 0
        ? Pick(random, "btc", "B", "", "ABCDEFGHI", "BT1", "ÄTH", "B C")
        : Pick(random, "BTC", "ETH", "SOL", "XRP", "DOGE", "AB", "ABCDEFGH");

    private static string Day(Random random)
    {
        var day = random.Next(8) == 0 ? random.Next(0, 40) : random.Next(1, 29);
        var dayText = random.Next(12) == 0 ? day.ToString("D2", CultureInfo.InvariantCulture) : day.ToString(CultureInfo.InvariantCulture);
        var month = MonthCodes[random.Next(12)];
        if (random.Next(12) == 0) month = random.Next(2) == 0 ? month.ToLowerInvariant() : month[..1] + month[1..].ToLowerInvariant();
        var year = random.Next(100);
        var yearText = random.Next(12) == 0 ? year.ToString(CultureInfo.InvariantCulture) : year.ToString("D2", CultureInfo.InvariantCulture);
        if (random.Next(30) == 0) yearText = (2000 + year).ToString(CultureInfo.InvariantCulture);
        return dayText + month + yearText;
    }

    private static string Strike(Random random)
    {
        var whole = random.Next(4) switch
        {
            0 => "0",
            1 => random.Next(1, 1_000).ToString(CultureInfo.InvariantCulture),
            2 => random.Next(1_000, 300_001).ToString(CultureInfo.InvariantCulture),
            _ => random.NextInt64(1, 20_000_000_000_000).ToString(CultureInfo.InvariantCulture),
        };
        var text = random.Next(3) == 0 ? whole + "d" + random.Next(1, 10_000_000).ToString(CultureInfo.InvariantCulture) : whole;
        return random.Next(10) switch
        {
            0 => "0" + text,
            1 => text + "0",
            2 => text.Replace('d', '.'),
            _ => text,
        };
    }

    private static string Mutated(Random random)
    {
        var name = new StringBuilder(Assembled(random));
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations; m++)
        {
            var at = name.Length == 0 ? 0 : random.Next(name.Length);
            switch (random.Next(5))
            {
                case 0: name.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                case 1: if (name.Length > 0) name.Remove(at, 1); break;
                case 2: if (name.Length > 0) name[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                case 3: if (at + 1 < name.Length) (name[at], name[at + 1]) = (name[at + 1], name[at]); break;
                case 4: if (name.Length > 0) name[at] = char.IsUpper(name[at]) ? char.ToLowerInvariant(name[at]) : char.ToUpperInvariant(name[at]); break;
                default: throw new InvalidOperationException("no such mutation");
            }
        }
        return name.ToString();
    }

    private static string Pick(Random random, params string[] choices) => choices[random.Next(choices.Length)];
}
