using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Markets;

namespace Exchange.Core.State.Handlers;

/// <summary>Lists a new option series: the genesis authority only, for an expiry still ahead of block time.</summary>
public static class ListInstrumentHandler
{
    public static Outcome Handle(TxContext c, ListInstrument p)
    {
        if (c.Signer.Key != c.State.Genesis.Authority) return Outcome.Fail(StateError.Unauthorized, "only the listing authority lists instruments");
        var day = OptionSeries.ExpiryDayOf(p.ExpiryUnixSeconds)!.Value;
        var series = new OptionSeries(p.Underlying, day, p.Strike, p.OptionKind);
        if (c.State.IsListed(series.Name)) return Outcome.Fail(StateError.InstrumentAlreadyListed, $"{series.Name} is listed already");
        if (p.ExpiryUnixSeconds * 1000 <= c.State.TimeUnixMs) return Outcome.Fail(StateError.InstrumentExpired, $"{series.Name} has already expired");
        if (c.State.Genesis.Indexes.All(i => i.Underlying != p.Underlying))
            return Outcome.Fail(StateError.UnknownInstrument, $"no index price feed for {p.Underlying}");
        var spec = new InstrumentSpec(p.TickSize, p.LotSize, p.MinSize, InstrumentSpecDefaults.PriceBandBps, InstrumentSpecDefaults.MaxOpenOrdersPerAccount);
        if (spec.Check() is { } error) return Outcome.Fail(StateError.InvalidTransaction, error);
        var id = c.State.List(new Instrument(series, spec));
        c.Emit(new InstrumentListed(c.Index, id, series.Name));
        return Outcome.Ok;
    }
}

/// <summary>Trading limits for instruments listed by transaction (the payload carries tick, lot and minimum size only).</summary>
public static class InstrumentSpecDefaults
{
    public const int PriceBandBps = 2_000;
    public const int MaxOpenOrdersPerAccount = 200;
}
