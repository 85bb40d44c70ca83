namespace Exchange.Bench.Matching;

/// <summary>
/// One mix, pre-generated: the <see cref="Prefix"/> builds the book up to its working size and
/// settles it (untimed, replayed into a fresh book before every timed pass), then
/// <see cref="Measured"/> is what the timers see. <see cref="Profile"/> describes what the measured
/// ops did when the generator replayed them.
/// </summary>
internal sealed record MatchingStream(string Name, BookOp[] Prefix, BookOp[] Measured, StreamProfile Profile);
