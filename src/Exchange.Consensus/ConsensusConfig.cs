using Exchange.Core.Crypto;

namespace Exchange.Consensus;

/// <summary>
/// Settings of one consensus instance. <see cref="MaxCatchupRoundsPerValidator"/> bounds the rounds ahead of
/// round_p (beyond the next one) that one validator's votes may open, like CometBFT's peer catch-up rounds:
/// enough for the f+1 rule of line 55, too few for a faulty validator to fill memory with empty rounds.
/// <see cref="EvidenceMaxAgeHeights"/> is the ledger's evidence window (genesis <c>evidence_max_age_heights</c>): older
/// evidence would be refused by every block, so the pool forgets it.
/// </summary>
public sealed record ConsensusConfig(string ChainId, TimeoutConfig Timeouts, int MaxCatchupRoundsPerValidator = 2,
    long EvidenceMaxAgeHeights = Exchange.Core.State.RiskParameters.DefaultEvidenceMaxAgeHeights)
{
    public static ConsensusConfig Create(string chainId) => new(chainId, TimeoutConfig.Default);

    /// <summary>
    /// How proposals' and votes' signatures are checked: <see cref="Schnorr.Verify(in PublicKey, in Hash32, in Signature)"/>
    /// when null. A node passes its record of verified signatures, so the commit inside the next block does not verify
    /// the same precommits again.
    /// </summary>
    public SignatureVerifier? Verifier { get; init; }
}
