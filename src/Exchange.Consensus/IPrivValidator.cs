using Exchange.Core.Crypto;
using Exchange.Core.Oracle;

namespace Exchange.Consensus;

/// <summary>
/// The validator's signing key behind double-sign protection (CometBFT's PrivValidator). Each method returns
/// null when signing would conflict with what was signed before.
/// </summary>
public interface IPrivValidator
{
    PublicKey PublicKey { get; }
    Vote? SignVote(string chainId, Vote unsigned);
    Proposal? SignProposal(string chainId, Proposal unsigned);
    /// <summary>Signs an oracle observation; these are not consensus steps and carry no double-sign risk.</summary>
    PriceObservation SignExtension(string chainId, PriceObservation unsigned);
}
