using Exchange.Core.Crypto;

namespace Exchange.Consensus;

/// <summary>
/// One member of a <see cref="ValidatorSet"/>: its key, its voting power (its stake) and its proposer
/// priority in CometBFT's weighted round robin.
/// </summary>
public readonly record struct Validator(PublicKey Key, long Power, long ProposerPriority = 0);
