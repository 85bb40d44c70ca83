using System.Globalization;
using Exchange.Core.Ledger;
using Exchange.Core.Numerics;

namespace Exchange.Core.Markets;

/// <summary>
/// A European, cash-settled option series on an index, named the way Deribit names them:
/// <c>BTC-27DEC26-100000-C</c> (underlying, expiry day, strike, C or P). Expiry is 08:00 UTC of
/// that day. Fractional strikes use 'd' for the decimal point (<c>XRP-27DEC26-0d5-C</c>).
/// A name has exactly one spelling: no leading zeros in the day or strike, upper-case month.
/// </summary>
public sealed record OptionSeries(string Underlying, DateOnly Expiry, Price Strike, OptionKind Kind)
{
    private static readonly string[] Months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly DateOnly UnixEpoch = new(1970, 1, 1);
    private static readonly DateOnly FirstNamedDay = new(2000, 1, 1);
    private static readonly DateOnly LastNamedDay = new(2099, 12, 31);

    /// <summary>Expiry as Unix seconds: 08:00 UTC of <see cref="Expiry"/>.</summary>
    public long ExpiryUnixSeconds => (long)(Expiry.DayNumber - UnixEpoch.DayNumber) * ListingDay.SecondsPerDay + ListingDay.ExpirySecondOfDay;

    public string Name => $"{Underlying}-{Expiry.Day}{Months[Expiry.Month - 1]}{Expiry.Year % 100:D2}-{FormatStrike(Strike)}-{(Kind == OptionKind.Call ? 'C' : 'P')}";

    public override string ToString() => Name;

    /// <summary>
    /// The day whose expiry (08:00 UTC) is at <paramref name="unixSeconds"/>; null when that is not
    /// 08:00 UTC or the day has no name (names spell the year as 20xx).
    /// </summary>
    public static DateOnly? ExpiryDayOf(long unixSeconds)
    {
        if (unixSeconds <= 0 || unixSeconds % ListingDay.SecondsPerDay != ListingDay.ExpirySecondOfDay) return null;
        var daysSinceEpoch = unixSeconds / ListingDay.SecondsPerDay;
        if (daysSinceEpoch < FirstNamedDay.DayNumber - UnixEpoch.DayNumber || daysSinceEpoch > LastNamedDay.DayNumber - UnixEpoch.DayNumber) return null;
        return DateOnly.FromDayNumber(UnixEpoch.DayNumber + (int)daysSinceEpoch);
    }

    public static OptionSeries Parse(string name) =>
        TryParse(name, out var s, out var error) ? s! : throw new FormatException(error);

    public static bool TryParse(string name, out OptionSeries? series, out string error)
    {
        series = null;
        var parts = name.Split('-');
        if (parts.Length != 4) return Fail($"'{name}' is not UNDERLYING-DDMMMYY-STRIKE-C|P", out error);
        var (underlying, date, strikeText, kindText) = (parts[0], parts[1], parts[2], parts[3]);
        if (!Names.IsValidUnderlying(underlying)) return Fail($"'{underlying}' is not an index symbol (2 to 8 capital letters)", out error);
        if (!TryParseDate(date, out var expiry)) return Fail($"'{date}' is not an expiry day like 27DEC26 (day without leading zero)", out error);
        if (!TryParseStrike(strikeText, out var strike)) return Fail($"'{strikeText}' is not a strike like 100000 or 0d5", out error);
        OptionKind kind;
        switch (kindText)
        {
            case "C": kind = OptionKind.Call; break;
            case "P": kind = OptionKind.Put; break;
            default: return Fail($"'{kindText}' is neither C (call) nor P (put)", out error);
        }
        series = new OptionSeries(underlying, expiry, strike, kind);
        error = "";
        return true;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }

    private static bool TryParseDate(string s, out DateOnly date)
    {
        date = default;
        if (s.Length is < 6 or > 7) return false;
        var dayDigits = s.Length - 5;
        var dayText = s[..dayDigits];
        if (dayText[0] == '0' || !dayText.All(char.IsAsciiDigit)) return false;
        var month = Array.IndexOf(Months, s.Substring(dayDigits, 3));
        var yearText = s[(dayDigits + 3)..];
        if (month < 0 || !yearText.All(char.IsAsciiDigit)) return false;
        var day = int.Parse(dayText, CultureInfo.InvariantCulture);
        var year = 2000 + int.Parse(yearText, CultureInfo.InvariantCulture);
        if (day > DateTime.DaysInMonth(year, month + 1)) return false;
        date = new DateOnly(year, month + 1, day);
        return true;
    }

    private static bool TryParseStrike(string s, out Price strike)
    {
        strike = default;
        if (s.Length == 0 || s.Contains('.') || s[0] == '0' && !s.StartsWith("0d", StringComparison.Ordinal)) return false;
        var d = s.IndexOf('d');
        if (d >= 0 && (d == s.Length - 1 || s.EndsWith('0'))) return false;
        if (!Price.TryParse(s.Replace('d', '.'), out strike, out _) || !strike.IsPositive) return false;
        return FormatStrike(strike) == s;
    }

    private static string FormatStrike(Price strike) => strike.ToString().Replace('.', 'd');
}

/// <summary>When listed options expire: 08:00 UTC.</summary>
public static class ListingDay
{
    public const long SecondsPerDay = 86_400;
    public const long ExpirySecondOfDay = 8 * 3_600;
}
