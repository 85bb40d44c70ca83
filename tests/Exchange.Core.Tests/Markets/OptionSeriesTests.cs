using Exchange.Core.Ledger;
using Exchange.Core.Markets;
using Exchange.Core.Numerics;

namespace Exchange.Core.Tests.Markets;

public class OptionSeriesTests
{
    [Theory]
    [InlineData("BTC-27DEC26-100000-C", "BTC", 2026, 12, 27, "100000", OptionKind.Call)]
    [InlineData("BTC-27DEC26-100000-P", "BTC", 2026, 12, 27, "100000", OptionKind.Put)]
    [InlineData("ETH-5JAN27-3500-P", "ETH", 2027, 1, 5, "3500", OptionKind.Put)]
    [InlineData("ETH-5JAN27-3500-C", "ETH", 2027, 1, 5, "3500", OptionKind.Call)]
    [InlineData("BTC-1FEB27-1-C", "BTC", 2027, 2, 1, "1", OptionKind.Call)]
    [InlineData("ETH-31MAR27-2000-P", "ETH", 2027, 3, 31, "2000", OptionKind.Put)]
    [InlineData("BTC-30APR27-95000-C", "BTC", 2027, 4, 30, "95000", OptionKind.Call)]
    [InlineData("ETH-9MAY27-4000-C", "ETH", 2027, 5, 9, "4000", OptionKind.Call)]
    [InlineData("BTC-25JUN27-120000-P", "BTC", 2027, 6, 25, "120000", OptionKind.Put)]
    [InlineData("SOL-30JUL27-150-C", "SOL", 2027, 7, 30, "150", OptionKind.Call)]
    [InlineData("BTC-27AUG27-80000-P", "BTC", 2027, 8, 27, "80000", OptionKind.Put)]
    [InlineData("ETH-24SEP27-3000-C", "ETH", 2027, 9, 24, "3000", OptionKind.Call)]
    [InlineData("BTC-29OCT27-70000-C", "BTC", 2027, 10, 29, "70000", OptionKind.Call)]
    [InlineData("ETH-26NOV27-2500-P", "ETH", 2027, 11, 26, "2500", OptionKind.Put)]
    [InlineData("XRP-27DEC26-0d5-C", "XRP", 2026, 12, 27, "0.5", OptionKind.Call)]
    [InlineData("DOGE-3JAN00-12d25-P", "DOGE", 2000, 1, 3, "12.25", OptionKind.Put)]
    [InlineData("SHIB-31DEC99-0d000001-P", "SHIB", 2099, 12, 31, "0.000001", OptionKind.Put)]
    [InlineData("BTC-29FEB28-100000-C", "BTC", 2028, 2, 29, "100000", OptionKind.Call)]
    public void Known_name_should_parse_to_its_fields_and_format_back_identically(
        string name, string underlying, int year, int month, int day, string strike, OptionKind kind)
    {
        var series = OptionSeries.Parse(name);

        Assert.Equal(new OptionSeries(underlying, new DateOnly(year, month, day), Price.Parse(strike), kind), series);
        Assert.Equal(name, series.Name);
        Assert.Equal(name, series.ToString());
    }

    [Fact]
    public void Name_should_spell_every_month_as_its_three_letter_upper_case_code()
    {
        string[] codes = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
        for (var month = 1; month <= 12; month++)
        {
            var series = new OptionSeries("BTC", new DateOnly(2027, month, 1), Price.FromWhole(100_000), OptionKind.Call);
            var name = $"BTC-1{codes[month - 1]}27-100000-C";

            Assert.Equal(name, series.Name);
            Assert.Equal(series, OptionSeries.Parse(name));
        }
    }

    [Fact]
    public void Expiry_should_be_0800_UTC_of_the_expiry_day()
    {
        var series = OptionSeries.Parse("BTC-27DEC26-100000-C");
        var independent = new DateTimeOffset(2026, 12, 27, 8, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

        Assert.Equal(1_798_358_400, independent);
        Assert.Equal(independent, series.ExpiryUnixSeconds);
        Assert.Equal(new DateOnly(2026, 12, 27), OptionSeries.ExpiryDayOf(series.ExpiryUnixSeconds));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(-57_600L)]                       // 1969-12-31 08:00 UTC
    [InlineData(long.MinValue)]
    [InlineData(1_798_358_400L - 8 * 3_600)]     // midnight of the expiry day
    [InlineData(1_798_358_400L - 1)]
    [InlineData(1_798_358_400L + 1)]
    [InlineData(1_798_358_400L + 3_600)]         // 09:00
    [InlineData(1_798_358_400L + 86_399)]
    public void ExpiryDayOf_should_be_null_unless_exactly_0800_UTC_after_the_epoch(long unixSeconds) =>
        Assert.Null(OptionSeries.ExpiryDayOf(unixSeconds));

    [Theory]
    [InlineData(946_713_600L, 2000, 1, 1)]
    [InlineData(1_798_358_400L, 2026, 12, 27)]
    [InlineData(1_798_358_400L + 86_400, 2026, 12, 28)]
    public void ExpiryDayOf_should_give_the_day_of_an_0800_UTC_time(long unixSeconds, int year, int month, int day) =>
        Assert.Equal(new DateOnly(year, month, day), OptionSeries.ExpiryDayOf(unixSeconds));

    [Fact]
    public void ExpiryDayOf_should_be_null_rather_than_throw_for_0800_UTC_times_past_the_calendar()
    {
        const long day = 86_400, eight = 28_800;
        long[] times = [long.MaxValue - (long.MaxValue - eight) % day, (int.MaxValue + 1L) * day + eight, 3_000_000 * day + eight];

        Assert.All(times, t => Assert.Equal(eight, t % day));
        Assert.All(times, t => Assert.Null(OptionSeries.ExpiryDayOf(t)));
    }

    [Fact]
    public void ExpiryDayOf_should_be_null_for_days_no_series_name_can_spell()
    {
        // A name carries a two-digit year read as 20xx; a series expiring in 1999 or 2100 would
        // be named like one expiring in 2099 or 2000.
        static long At0800(int year, int month, int day) => new DateTimeOffset(year, month, day, 8, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

        Assert.Null(OptionSeries.ExpiryDayOf(At0800(1999, 12, 31)));
        Assert.Null(OptionSeries.ExpiryDayOf(At0800(2100, 1, 1)));
        Assert.Equal(new DateOnly(2000, 1, 1), OptionSeries.ExpiryDayOf(At0800(2000, 1, 1)));
        Assert.Equal(new DateOnly(2099, 12, 31), OptionSeries.ExpiryDayOf(At0800(2099, 12, 31)));
    }

    [Theory]
    [InlineData("", "''")]
    [InlineData("BTC", "'BTC'")]
    [InlineData("BTC-27DEC26-100000", "'BTC-27DEC26-100000'")]
    [InlineData("BTC-27DEC26-100000-X", "'X'")]
    [InlineData("BTC-27DEC26-100000-c", "'c'")]
    [InlineData("BTC-27DEC26-100000-", "''")]
    [InlineData("btc-27DEC26-100000-C", "'btc'")]
    [InlineData("B-27DEC26-100000-C", "'B'")]
    [InlineData("BITCOINXX-27DEC26-100000-C", "'BITCOINXX'")]
    [InlineData("BTC-27dec26-100000-C", "'27dec26'")]
    [InlineData("BTC-27Dec26-100000-C", "'27Dec26'")]
    [InlineData("BTC-027DEC26-100000-C", "'027DEC26'")]
    [InlineData("BTC-0DEC26-100000-C", "'0DEC26'")]
    [InlineData("BTC-32DEC26-100000-C", "'32DEC26'")]
    [InlineData("BTC-31NOV26-100000-C", "'31NOV26'")]
    [InlineData("BTC-29FEB27-100000-C", "'29FEB27'")]
    [InlineData("BTC-27DEC2026-100000-C", "'27DEC2026'")]
    [InlineData("BTC-27DEC6-100000-C", "'27DEC6'")]
    [InlineData("BTC-27XYZ26-100000-C", "'27XYZ26'")]
    [InlineData("BTC-27DEC26-0100000-C", "'0100000'")]
    [InlineData("BTC-27DEC26-100000.5-C", "'100000.5'")]
    [InlineData("BTC-27DEC26-0-C", "'0'")]
    [InlineData("BTC-27DEC26-0d0-C", "'0d0'")]
    [InlineData("BTC-27DEC26-5d50-C", "'5d50'")]
    [InlineData("BTC-27DEC26-5d-C", "'5d'")]
    [InlineData("BTC-27DEC26-d5-C", "'d5'")]
    [InlineData("BTC-27DEC26-0d0000001-C", "'0d0000001'")]
    [InlineData("BTC-27DEC26-1e5-C", "'1e5'")]
    [InlineData("BTC-27DEC26-+5-C", "'+5'")]
    [InlineData("BTC-27DEC26- 5-C", "' 5'")]
    [InlineData("BTC-27DEC26-", "'BTC-27DEC26-'")]
    [InlineData("BTC-27DEC26--5-C", "'BTC-27DEC26--5-C'")]
    [InlineData("BTC-27DEC26-100000-C-", "'BTC-27DEC26-100000-C-'")]
    [InlineData("-BTC-27DEC26-100000-C", "'-BTC-27DEC26-100000-C'")]
    [InlineData("BTC--27DEC26-100000-C", "'BTC--27DEC26-100000-C'")]
    [InlineData("BTC-27DEC26-100000-C-P", "'BTC-27DEC26-100000-C-P'")]
    public void Malformed_name_should_be_refused_with_an_error_naming_the_bad_part(string name, string badPart)
    {
        Assert.False(OptionSeries.TryParse(name, out var series, out var error));

        Assert.Null(series);
        Assert.Contains(badPart, error);
        var thrown = Assert.Throws<FormatException>(() => OptionSeries.Parse(name));
        Assert.Equal(error, thrown.Message);
    }

    [Fact]
    public void Leap_day_should_be_accepted_only_in_a_leap_year()
    {
        Assert.True(OptionSeries.TryParse("BTC-29FEB28-100000-C", out var leap, out _));
        Assert.Equal(new DateOnly(2028, 2, 29), leap!.Expiry);
        Assert.True(OptionSeries.TryParse("BTC-29FEB00-100000-C", out _, out _));   // 2000 is a leap year
        Assert.False(OptionSeries.TryParse("BTC-29FEB27-100000-C", out _, out _));
    }

    [Fact]
    public void Largest_strike_a_price_can_hold_should_name_and_parse()
    {
        var series = new OptionSeries("BTC", new DateOnly(2026, 12, 27), new Price(long.MaxValue), OptionKind.Call);

        Assert.Equal("BTC-27DEC26-9223372036854d775807-C", series.Name);
        Assert.Equal(series, OptionSeries.Parse(series.Name));
        Assert.False(OptionSeries.TryParse("BTC-27DEC26-9223372036854d775808-C", out _, out _));
    }
}
