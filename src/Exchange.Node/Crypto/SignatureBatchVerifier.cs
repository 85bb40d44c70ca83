using Exchange.Core.Crypto;

namespace Exchange.Node.Crypto;

/// <summary>Checks a batch of signatures, writing each outcome to the same index of <paramref name="results"/>.</summary>
public delegate void SignatureBatchVerifier(ReadOnlySpan<SignedMessage> batch, Span<SignatureCheck> results);

public static class SignatureBatchVerifierExtensions
{
    /// <summary>One check through a batch verifier: for the odd transaction whose batch elsewhere failed.</summary>
    public static SignatureCheck VerifyOne(this SignatureBatchVerifier verify, SignedMessage message)
    {
        var result = new SignatureCheck[1];
        verify([message], result);
        return result[0];
    }
}
