namespace Exchange.Consensus;

/// <summary>
/// timeoutPropose, timeoutPrevote and timeoutPrecommit of Algorithm 1, growing linearly with the round
/// (<c>base + delta × round</c>) so that after GST some round is long enough for every correct validator.
/// All in milliseconds; the node turns them into timers.
/// </summary>
public sealed record TimeoutConfig(long ProposeMs = 3_000, long ProposeDeltaMs = 500, long PrevoteMs = 1_000, long PrevoteDeltaMs = 500,
    long PrecommitMs = 1_000, long PrecommitDeltaMs = 500)
{
    public static readonly TimeoutConfig Default = new();

    public long Duration(RoundStep step, uint round) => step switch
    {
        RoundStep.Propose => Grow(ProposeMs, ProposeDeltaMs, round),
        RoundStep.Prevote => Grow(PrevoteMs, PrevoteDeltaMs, round),
        RoundStep.Precommit => Grow(PrecommitMs, PrecommitDeltaMs, round),
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "no timeout for this step"),
    };

    /// <summary>Saturates at <see cref="long.MaxValue"/> rather than wrapping in very late rounds.</summary>
    private static long Grow(long baseMs, long deltaMs, uint round)
    {
        var d = (Int128)baseMs + (Int128)deltaMs * round;
        return d > long.MaxValue ? long.MaxValue : (long)d;
    }
}
