using Exchange.Core.Crypto;

namespace Exchange.Node.Crypto;

/// <summary>One signature waiting to be checked: the claimed signer, the signed digest and the BIP340 signature.</summary>
public readonly record struct SignedMessage(PublicKey Signer, Hash32 Message, Signature Signature)
{
    /// <summary>Checks this one signature on the calling thread.</summary>
    public SignatureCheck Verify() => Schnorr.Verify(Signer, Message, Signature);
}
