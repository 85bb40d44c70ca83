namespace Exchange.Bench.Matching;

/// <summary>
/// What an op turned out to do when the generator replayed it, the grain at which latency is
/// broken down: the code paths through the book differ by these, not by the op's kind alone.
/// </summary>
internal enum OpClass : byte
{
    AmendPassive,
    AmendCrossing,
    Cancel,
    LimitResting,
    LimitTrading,
    Immediate,
}
