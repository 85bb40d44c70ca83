using Exchange.Core.Ledger;
using Exchange.Core.Markets.Book;

namespace Exchange.Bench.Matching;

/// <summary>
/// What a measured stream did to the book that generated it: the share of each kind of op, how
/// often an op traded, and how large the book stayed. Printed with the figures, so a reader can
/// check that a mix is the one its name promises.
/// </summary>
internal sealed class StreamProfile(int ops)
{
    private const int LevelSampleEvery = 1_000;

    // Room for every level of a side: far more than any mix spreads over.
    private readonly PriceLevel[] _levels = new PriceLevel[100_000];
    private long _levelSum, _levelSamples, _restingSum;

    /// <summary>The class of each measured op, by index.</summary>
    public OpClass[] Classes { get; } = new OpClass[ops];

    public long Ops { get; private set; }
    public long Amends { get; private set; }
    public long GoodTilCancelled { get; private set; }
    public long Immediate { get; private set; }
    public long Cancels { get; private set; }
    public long Events { get; private set; }
    public long Fills { get; private set; }
    public long Rejections { get; private set; }
    public long TradingOps { get; private set; }
    public int MinResting { get; private set; } = int.MaxValue;
    public int MaxResting { get; private set; }

    public double MeanResting => Ops == 0 ? 0 : (double)_restingSum / Ops;
    public double MeanLevelsPerSide => _levelSamples == 0 ? 0 : (double)_levelSum / _levelSamples;
    public double FillsPerOp => Ops == 0 ? 0 : (double)Fills / Ops;
    public double FillsPerTradingOp => TradingOps == 0 ? 0 : (double)Fills / TradingOps;

    public double Share(long count) => Ops == 0 ? 0 : (double)count / Ops;

    public void Record(in BookOp op, BookEvents events, IOrderBook book)
    {
        var fills = 0;
        foreach (var e in events.Span)
        {
            if (e.Type == BookEventType.Filled) fills++;
            else if (e.Type == BookEventType.Rejected) Rejections++;
        }
        OpClass opClass;
        switch (op.Kind)
        {
            case BookOpKind.Amend:
                Amends++;
                opClass = fills > 0 ? OpClass.AmendCrossing : OpClass.AmendPassive;
                break;
            case BookOpKind.Cancel:
                Cancels++;
                opClass = OpClass.Cancel;
                break;
            case BookOpKind.Place when op.TimeInForce == TimeInForce.GoodTilCancelled:
                GoodTilCancelled++;
                opClass = fills > 0 ? OpClass.LimitTrading : OpClass.LimitResting;
                break;
            case BookOpKind.Place:
                Immediate++;
                opClass = OpClass.Immediate;
                break;
            default:
                throw new InvalidOperationException($"unknown book op kind {op.Kind}");
        }
        Classes[Ops] = opClass;
        Fills += fills;
        if (fills > 0) TradingOps++;
        Events += events.Count;
        _restingSum += book.Count;
        MinResting = Math.Min(MinResting, book.Count);
        MaxResting = Math.Max(MaxResting, book.Count);
        if (Ops++ % LevelSampleEvery == 0)
        {
            _levelSum += book.Depth(Side.Buy, _levels) + book.Depth(Side.Sell, _levels);
            _levelSamples += 2;
        }
    }

    public void Print(TextWriter to, string indent)
    {
        to.WriteLine($"{indent}{Ops:N0} ops: {Share(Amends):P1} amends, {Share(GoodTilCancelled):P1} GTC, {Share(Immediate):P1} IOC/market, {Share(Cancels):P1} cancels; " +
            $"{Share(TradingOps):P1} of ops trade, {FillsPerTradingOp:0.0} fills each, {Rejections:N0} rejected");
        to.WriteLine($"{indent}book: {MeanResting:N0} resting orders on average ({MinResting:N0} to {MaxResting:N0}), {MeanLevelsPerSide:N0} price levels per side");
    }
}
