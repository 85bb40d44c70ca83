using Exchange.Core.Ledger;
using Exchange.Core.Markets;
using Exchange.Core.Numerics;
using Exchange.Core.Tests.Numerics;
using FsCheck;
using FsCheck.Fluent;

namespace Exchange.Core.Tests.Markets;

/// <summary>
/// Valid option series: a handful of index symbols, any day a name can spell (2000-01-01 to
/// 2099-12-31), and positive strikes of every magnitude, whole and fractional.
/// </summary>
public static class OptionSeriesArbitraries
{
    public static readonly DateOnly FirstNameableDay = new(2000, 1, 1);
    public static readonly DateOnly LastNameableDay = new(2099, 12, 31);

    public static readonly Gen<string> Underlying = Gen.Elements("BTC", "ETH", "SOL", "XRP", "DOGE", "AB", "ABCDEFGH");

    public static readonly Gen<DateOnly> Day =
        Gen.Choose(FirstNameableDay.DayNumber, LastNameableDay.DayNumber).Select(DateOnly.FromDayNumber);

    public static readonly Gen<Price> Strike = Gen.Frequency(
        (3, Gen.Choose(1, 300_000).Select(i => Price.FromWhole(i))),
        (2, Gen.Choose(1, 999_999).Select(i => new Price(i))),
        (3, NumericArbitraries.AnyLong.Select(x => new Price(x == long.MinValue ? long.MaxValue : Math.Max(1, Math.Abs(x))))));

    public static readonly Gen<OptionKind> Kind = Gen.Elements(OptionKind.Call, OptionKind.Put);

    public static readonly Gen<OptionSeries> Series =
        from underlying in Underlying
        from day in Day
        from strike in Strike
        from kind in Kind
        select new OptionSeries(underlying, day, strike, kind);

    public static Arbitrary<OptionSeries> ValidSeries() => Arb.From(Series);
}
