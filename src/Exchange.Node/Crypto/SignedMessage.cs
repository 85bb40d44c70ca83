using Exchange.Core.Crypto;
using Exchange.Core.Ledger;

namespace Exchange.Node.Crypto;

/// <summary>One signature waiting to be checked: the claimed signer, the signed digest and the BIP340 signature.</summary>
public readonly record struct SignedMessage(PublicKey Signer, Hash32 Message, Signature Signature)
{
    /// <summary>A transaction's signature over its signing hash, by its sender.</summary>
    public SignedMessage(Transaction tx) : this(tx.Sender, tx.SigningHash(), tx.Signature) { }

    /// <summary>Checks this one signature on the calling thread, with the signer's key parsed once per process (<see cref="ParsedKeys"/>).</summary>
    public SignatureCheck Verify() => ParsedKeys.Shared.Verify(Signer, Message, Signature);
}
