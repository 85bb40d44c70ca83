using Exchange.Core.Markets;

namespace Exchange.Core.State;

/// <summary>An instrument the state knows, by dense id in listing order. Settled series stay listed (their id is history) but trade no more.</summary>
public sealed class ListedInstrument(int id, Instrument instrument)
{
    public int Id { get; } = id;
    public Instrument Instrument { get; } = instrument;
    /// <summary>The series name, formatted once: every book lookup and event of a block reads it, and formatting it is not free.</summary>
    public string Name { get; } = instrument.Name;
    public long ExpiryUnixMs => Instrument.Series.ExpiryUnixSeconds * 1000;
    public bool Settled { get; internal set; }
    /// <summary>The mark price for this block, in micro-USD; set before any transaction runs.</summary>
    public long Mark { get; internal set; }
}
