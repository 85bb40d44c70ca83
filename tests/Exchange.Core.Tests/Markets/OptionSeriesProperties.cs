using Exchange.Core.Markets;
using FsCheck.Xunit;

namespace Exchange.Core.Tests.Markets;

public class OptionSeriesProperties
{
    [Property(Replay = "(2601, 3141)", MaxTest = 2_000, Arbitrary = [typeof(OptionSeriesArbitraries)])]
    public void Parse_of_Name_should_give_back_every_valid_series(OptionSeries series)
    {
        Assert.True(OptionSeries.TryParse(series.Name, out var parsed, out var error), $"'{series.Name}': {error}");
        Assert.Equal(series, parsed);
        Assert.Equal("", error);
    }

    [Property(Replay = "(2602, 3141)", MaxTest = 2_000, Arbitrary = [typeof(OptionSeriesArbitraries)])]
    public void Expiry_should_be_0800_UTC_of_the_expiry_day_for_every_series(OptionSeries series)
    {
        var e = series.Expiry;
        var independent = new DateTimeOffset(e.Year, e.Month, e.Day, 8, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

        Assert.Equal(independent, series.ExpiryUnixSeconds);
        Assert.Equal(e, OptionSeries.ExpiryDayOf(series.ExpiryUnixSeconds));
        Assert.Null(OptionSeries.ExpiryDayOf(series.ExpiryUnixSeconds + 1));
        Assert.Null(OptionSeries.ExpiryDayOf(series.ExpiryUnixSeconds - 3_600));
    }
}
