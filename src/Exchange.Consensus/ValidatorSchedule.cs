using Exchange.Core.Crypto;

namespace Exchange.Consensus;

/// <summary>
/// Which validator set signs which height, following CometBFT's state: the changes in block H go into
/// the "next validators" and sign from height H+2, because the set for H+1 was already fixed when H was
/// proposed. Each height takes one proposer-rotation step.
/// </summary>
public sealed record ValidatorSchedule(ulong Height, ValidatorSet Validators, ValidatorSet NextValidators)
{
    /// <summary>The schedule at height 1: the genesis set signs heights 1 and 2.</summary>
    public static ValidatorSchedule Genesis(ValidatorSet genesis) => new(1, genesis, genesis.IncrementProposerPriority(1));

    /// <summary>The schedule after block <see cref="Height"/> committed with <paramref name="changes"/>: the changes sign from Height + 2.</summary>
    public ValidatorSchedule AfterCommit(IEnumerable<(PublicKey Key, long Power)> changes)
    {
        var list = changes.ToList();
        var next = list.Count == 0 ? NextValidators : NextValidators.WithChanges(list);
        return new ValidatorSchedule(Height + 1, NextValidators, next.IncrementProposerPriority(1));
    }
}
