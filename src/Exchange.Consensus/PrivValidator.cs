using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Oracle;

namespace Exchange.Consensus;

/// <summary>
/// Signs with a key pair and refuses to double-sign, by CometBFT's sign-state rule: a (height, round, step)
/// below the last signed one is refused; the same one may be signed again only for the identical message,
/// and then the stored signature is returned; for a higher one the signature is computed and persisted with
/// its (height, round, step) through the store, and only then returned to be sent.
/// Because the rule reads the store, it holds across restarts.
/// </summary>
public sealed class PrivValidator(KeyPair key, ISignStateStore store) : IPrivValidator
{
    private static readonly byte[] AuxRand = new byte[32];

    public PublicKey PublicKey => key.PublicKey;

    /// <summary>How many signatures were refused as conflicting.</summary>
    public int Refusals { get; private set; }

    public Vote? SignVote(string chainId, Vote unsigned)
    {
        if (unsigned.Validator != PublicKey) throw new ArgumentException("the vote is not this validator's", nameof(unsigned));
        var signature = Sign(unsigned.Height, unsigned.Round, LastSignState.StepOf(unsigned.Type), unsigned.SigningHash(chainId));
        return signature is { } s ? unsigned with { Signature = s } : null;
    }

    public Proposal? SignProposal(string chainId, Proposal unsigned)
    {
        if (unsigned.Proposer != PublicKey) throw new ArgumentException("the proposal is not this validator's", nameof(unsigned));
        var signature = Sign(unsigned.Height, unsigned.Round, SignStep.Propose, unsigned.SigningHash(chainId));
        return signature is { } s ? unsigned with { Signature = s } : null;
    }

    public PriceObservation SignExtension(string chainId, PriceObservation unsigned) => unsigned.Sign(chainId, key, AuxRand);

    private Signature? Sign(ulong height, uint round, SignStep step, Hash32 message)
    {
        var last = store.Load();
        if (last is not null)
        {
            var c = last.CompareTo(height, round, step);
            if (c > 0 || (c == 0 && last.SigningHash != message))
            {
                Refusals++;
                return null;
            }
            if (c == 0) return last.Signature;
        }
        var signature = key.Sign(message, AuxRand);
        store.Save(new LastSignState(height, round, step, message, signature));
        return signature;
    }
}
