using Exchange.Core.Ledger;
using Exchange.Core.Markets;
using Exchange.Core.Numerics;

namespace Exchange.Core.Tests.Markets;

public class ListingRuleTests
{
    private static readonly InstrumentSpec Spec = InstrumentSpec.Create(Price.Parse("0.5"), Quantity.Parse("0.1"), Quantity.Parse("0.1"));

    /// <summary>BTC strikes 90,000 to 110,000 every 5,000 (five strikes); two dailies, two weeklies, two monthlies.</summary>
    private static ListingRule Rule_BTC_90k_to_110k_Step5k_D2_W2_M2() =>
        new("BTC", Price.FromWhole(90_000), Price.FromWhole(110_000), Price.FromWhole(5_000), 2, 2, 2, Spec);

    private static readonly DateOnly Monday_2026_11_23 = new(2026, 11, 23);
    private static readonly DateOnly Friday_2026_11_27 = new(2026, 11, 27);

    [Fact]
    public void Expiries_should_merge_dailies_weeklies_and_monthlies_after_today()
    {
        // Today Monday 23 Nov 2026.
        //   dailies:  24 Nov, 25 Nov
        //   weeklies: next Fridays 27 Nov, 4 Dec
        //   monthlies: last Friday of Nov 2026 (30 Nov is a Monday) = 27 Nov;
        //              last Friday of Dec 2026 (31 Dec is a Thursday) = 25 Dec
        //   27 Nov is both a weekly and a monthly and is listed once.
        DateOnly[] expected = [new(2026, 11, 24), new(2026, 11, 25), new(2026, 11, 27), new(2026, 12, 4), new(2026, 12, 25)];

        Assert.Equal(expected, Rule_BTC_90k_to_110k_Step5k_D2_W2_M2().Expiries(Monday_2026_11_23));
    }

    [Fact]
    public void Expiries_should_exclude_today_even_when_it_is_a_weekly_and_monthly_day()
    {
        // Today Friday 27 Nov 2026, itself the last Friday of November.
        //   dailies:  28 Nov, 29 Nov
        //   weeklies: the next Fridays, 4 Dec and 11 Dec (not today)
        //   monthlies: November's last Friday is today, so skipped: 25 Dec 2026, and
        //              last Friday of Jan 2027 (31 Jan is a Sunday) = 29 Jan 2027
        DateOnly[] expected = [new(2026, 11, 28), new(2026, 11, 29), new(2026, 12, 4), new(2026, 12, 11), new(2026, 12, 25), new(2027, 1, 29)];

        var expiries = Rule_BTC_90k_to_110k_Step5k_D2_W2_M2().Expiries(Friday_2026_11_27);

        Assert.Equal(expected, expiries);
        Assert.DoesNotContain(Friday_2026_11_27, expiries);
    }

    [Fact]
    public void Expiries_should_cross_the_year_end()
    {
        // Today Thursday 31 Dec 2026: dailies 1 Jan, weeklies 1 Jan (Friday) and 8 Jan, monthly 29 Jan 2027.
        var rule = Rule_BTC_90k_to_110k_Step5k_D2_W2_M2() with { Dailies = 1, Weeklies = 2, Monthlies = 1 };

        Assert.Equal(new DateOnly[] { new(2027, 1, 1), new(2027, 1, 8), new(2027, 1, 29) }, rule.Expiries(new DateOnly(2026, 12, 31)));
    }

    [Fact]
    public void Instruments_should_list_every_strike_call_and_put_once_per_expiry()
    {
        var rule = Rule_BTC_90k_to_110k_Step5k_D2_W2_M2();

        var instruments = rule.Instruments(Monday_2026_11_23);

        // 5 strikes × call and put × 5 distinct expiries (27 Nov counted once).
        Assert.Equal(5 * 2 * 5, instruments.Count);
        Assert.Equal(instruments.Count, instruments.Select(i => i.Name).Distinct().Count());
        Assert.All(instruments, i => Assert.Same(Spec, i.Spec));
        Assert.All(instruments, i => Assert.Equal(i.Series, OptionSeries.Parse(i.Name)));
        Assert.Contains(instruments, i => i.Name == "BTC-27NOV26-90000-C");
        Assert.Contains(instruments, i => i.Name == "BTC-25DEC26-110000-P");
        Assert.Equal(
            new long[] { 90_000, 95_000, 100_000, 105_000, 110_000 },
            instruments.Select(i => i.Series.Strike).Distinct().Order().Select(p => p.Raw / Price.Scale));
    }

    [Fact]
    public void Instruments_should_list_up_to_the_series_limit_exactly()
    {
        // 5,000 strikes × 2 kinds × 1 expiry = 10,000, the most one rule may list.
        var rule = new ListingRule("ETH", Price.FromWhole(1), Price.FromWhole(5_000), Price.FromWhole(1), 1, 0, 0, Spec);

        Assert.Null(rule.Check());
        Assert.Equal(ListingRule.MaxSeriesPerRule, rule.Instruments(Monday_2026_11_23).Count);
    }

    [Fact]
    public void Fractional_strike_grid_should_give_d_names()
    {
        var rule = new ListingRule("XRP", Price.Parse("0.25"), Price.Parse("0.75"), Price.Parse("0.25"), 1, 0, 0, Spec);

        Assert.Equal(
            new[] { "XRP-24NOV26-0d25-C", "XRP-24NOV26-0d25-P", "XRP-24NOV26-0d5-C", "XRP-24NOV26-0d5-P", "XRP-24NOV26-0d75-C", "XRP-24NOV26-0d75-P" },
            rule.Instruments(Monday_2026_11_23).Select(i => i.Name).Order(StringComparer.Ordinal));
    }

    public static TheoryData<string, ListingRule> BadRules()
    {
        var good = Rule_BTC_90k_to_110k_Step5k_D2_W2_M2();
        return new()
        {
            { "index symbol", good with { Underlying = "btc" } },
            { "index symbol", good with { Underlying = "B" } },
            { "index symbol", good with { Underlying = "BITCOINXX" } },
            { "index symbol", good with { Underlying = "" } },
            { "0 < min ≤ max", good with { MinStrike = Price.FromWhole(120_000) } },
            { "0 < min ≤ max", good with { MinStrike = Price.Zero } },
            { "0 < min ≤ max", good with { MinStrike = Price.FromWhole(-5_000) } },
            { "0 < min ≤ max", good with { StrikeStep = Price.Zero } },
            { "0 < min ≤ max", good with { StrikeStep = Price.FromWhole(-5_000) } },
            { "strike step", good with { MinStrike = Price.FromWhole(90_500) } },
            { "strike step", good with { MaxStrike = Price.FromWhole(112_000) } },
            { "at least one expiry", good with { Dailies = 0, Weeklies = 0, Monthlies = 0 } },
            { "no negative counts", good with { Dailies = -1 } },
            { "no negative counts", good with { Weeklies = -1 } },
            { "no negative counts", good with { Monthlies = -1, Dailies = 5 } },
            // 5,001 strikes × 2 kinds × 1 expiry = 10,002.
            { "more than 10000 series", good with { MinStrike = Price.FromWhole(1), MaxStrike = Price.FromWhole(5_001), StrikeStep = Price.FromWhole(1), Dailies = 1, Weeklies = 0, Monthlies = 0 } },
            // 5 strikes × 2 × 1,001 expiries = 10,010.
            { "more than 10000 series", good with { Dailies = 1_001, Weeklies = 0, Monthlies = 0 } },
            { "tick size", good with { Spec = Spec with { TickSize = Price.Zero } } },
            { "price band", good with { Spec = Spec with { PriceBandBps = 0 } } },
        };
    }

    [Theory]
    [MemberData(nameof(BadRules))]
    public void Check_should_say_why_a_rule_is_unusable(string reason, ListingRule rule) =>
        Assert.Contains(reason, rule.Check());

    [Theory]
    [MemberData(nameof(BadRules))]
    public void Instruments_should_throw_with_the_check_message_for_an_unusable_rule(string reason, ListingRule rule)
    {
        var thrown = Assert.Throws<ArgumentException>(() => rule.Instruments(Monday_2026_11_23));

        Assert.Equal(rule.Check(), thrown.Message);
        Assert.Contains(reason, thrown.Message);
    }

    [Fact]
    public void Check_should_refuse_counts_whose_series_total_overflows()
    {
        var good = Rule_BTC_90k_to_110k_Step5k_D2_W2_M2();
        // int.MaxValue + int.MaxValue + 2 wraps to 0 in 32 bits; the sum of two int.MaxValue wraps negative.
        ListingRule[] huge =
        [
            good with { Dailies = int.MaxValue, Weeklies = int.MaxValue, Monthlies = 0 },
            good with { Dailies = int.MaxValue, Weeklies = int.MaxValue, Monthlies = 2 },
            good with { Dailies = int.MaxValue, Weeklies = 1, Monthlies = 0 },
        ];

        Assert.All(huge, rule => Assert.Contains("more than 10000 series", rule.Check()));
    }

    [Fact]
    public void Check_should_refuse_a_strike_grid_whose_series_total_overflows()
    {
        // long.MaxValue strikes one micro-unit apart: strikes × 2 wraps negative in 64 bits.
        var rule = Rule_BTC_90k_to_110k_Step5k_D2_W2_M2() with
        {
            MinStrike = new Price(1), MaxStrike = new Price(long.MaxValue), StrikeStep = new Price(1), Dailies = 1, Weeklies = 0, Monthlies = 0,
        };

        Assert.Contains("more than 10000 series", rule.Check());
    }
}
