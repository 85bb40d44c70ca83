using Exchange.Core.Ledger;
using Exchange.Core.Numerics;

namespace Exchange.Core.Markets;

/// <summary>
/// Which series genesis lists for one underlying: every strike of a grid, call and put, for the
/// next <see cref="Dailies"/> daily expiries, <see cref="Weeklies"/> Friday expiries and
/// <see cref="Monthlies"/> last-Friday-of-the-month expiries, counted from a given day. Expiries
/// that coincide are listed once. Deterministic in its inputs: the day comes from genesis (or the
/// block time), never from a clock.
/// </summary>
public sealed record ListingRule(
    string Underlying,
    Price MinStrike,
    Price MaxStrike,
    Price StrikeStep,
    int Dailies,
    int Weeklies,
    int Monthlies,
    InstrumentSpec Spec)
{
    public const int MaxSeriesPerRule = 10_000;

    /// <summary>Null when the rule is usable, else why not.</summary>
    public string? Check()
    {
        if (!Names.IsValidUnderlying(Underlying)) return $"'{Underlying}' is not an index symbol (2 to 8 capital letters)";
        if (!StrikeStep.IsPositive || !MinStrike.IsPositive || MaxStrike < MinStrike) return "strikes need 0 < min ≤ max and a positive step";
        if (!MinStrike.IsMultipleOf(StrikeStep) || !MaxStrike.IsMultipleOf(StrikeStep)) return "min and max strike must lie on the strike step";
        // Counted in long, and strikes capped before multiplying, so huge counts cannot wrap to a small total.
        var expiries = (long)Dailies + Weeklies + Monthlies;
        if (Dailies < 0 || Weeklies < 0 || Monthlies < 0 || expiries == 0) return "list at least one expiry, with no negative counts";
        var strikes = (MaxStrike.Raw - MinStrike.Raw) / StrikeStep.Raw + 1;
        if (strikes > MaxSeriesPerRule || strikes * 2 * expiries > MaxSeriesPerRule) return $"the rule would list more than {MaxSeriesPerRule} series";
        return Spec.Check();
    }

    /// <summary>Expiry days strictly after <paramref name="today"/> (an expiry today at 08:00 may already have passed).</summary>
    public IReadOnlyList<DateOnly> Expiries(DateOnly today)
    {
        var days = new SortedSet<DateOnly>();
        for (var i = 1; i <= Dailies; i++) days.Add(today.AddDays(i));
        var friday = NextFriday(today);
        for (var i = 0; i < Weeklies; i++) days.Add(friday.AddDays(7 * i));
        var month = new DateOnly(today.Year, today.Month, 1);
        for (var added = 0; added < Monthlies; month = month.AddMonths(1))
        {
            var last = LastFridayOf(month.Year, month.Month);
            if (last <= today) continue;
            days.Add(last);
            added++;
        }
        return [.. days];
    }

    public IReadOnlyList<Instrument> Instruments(DateOnly today)
    {
        var error = Check();
        if (error is not null) throw new ArgumentException(error);
        var result = new List<Instrument>();
        foreach (var expiry in Expiries(today))
            for (var strike = MinStrike; strike <= MaxStrike; strike += StrikeStep)
                foreach (var kind in (ReadOnlySpan<OptionKind>)[OptionKind.Call, OptionKind.Put])
                    result.Add(new Instrument(new OptionSeries(Underlying, expiry, strike, kind), Spec));
        return result;
    }

    private static DateOnly NextFriday(DateOnly today)
    {
        var days = ((int)DayOfWeek.Friday - (int)today.DayOfWeek + 7) % 7;
        return today.AddDays(days == 0 ? 7 : days);
    }

    private static DateOnly LastFridayOf(int year, int month)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-(((int)last.DayOfWeek - (int)DayOfWeek.Friday + 7) % 7));
    }
}
