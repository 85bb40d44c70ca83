using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Core.Tests.Ledger;

/// <summary>Votes and proposals signed by a named key, and evidence built from them, for the ledger and state tests.</summary>
internal static class EvidenceFixtures
{
    public static SignedVote Vote(KeyPair key, string chain, VoteType type, ulong height, uint round, Hash32 blockHash)
    {
        var unsigned = new SignedVote(type, height, round, blockHash, key.PublicKey, Signature.Empty);
        return unsigned with { Signature = key.Sign(unsigned.SigningHash(chain), new byte[32]) };
    }

    public static SignedProposal Proposal(KeyPair key, string chain, ulong height, uint round, int polRound, Hash32 blockHash)
    {
        var unsigned = new SignedProposal(height, round, polRound, blockHash, key.PublicKey, Signature.Empty);
        return unsigned with { Signature = key.Sign(unsigned.SigningHash(chain), new byte[32]) };
    }

    /// <summary>Two prevotes of <paramref name="key"/> at (height, round): one for block 1, one for block 2.</summary>
    public static DuplicateVoteEvidence DoublePrevote(KeyPair key, string chain, ulong height, uint round = 0, VoteType type = VoteType.Prevote) =>
        DuplicateVoteEvidence.Create(
            Vote(key, chain, type, height, round, Hash32.Compute("block-1"u8)),
            Vote(key, chain, type, height, round, Hash32.Compute("block-2"u8)));

    /// <summary>A vote for a block and a nil vote of the same step: nil is a value too.</summary>
    public static DuplicateVoteEvidence BlockAndNil(KeyPair key, string chain, ulong height, VoteType type = VoteType.Precommit) =>
        DuplicateVoteEvidence.Create(
            Vote(key, chain, type, height, 0, Hash32.Compute("block-1"u8)),
            Vote(key, chain, type, height, 0, Hash32.Zero));

    public static DuplicateProposalEvidence DoubleProposal(KeyPair key, string chain, ulong height, uint round = 0) =>
        DuplicateProposalEvidence.Create(
            Proposal(key, chain, height, round, -1, Hash32.Compute("block-1"u8)),
            Proposal(key, chain, height, round, -1, Hash32.Compute("block-2"u8)));
}
