namespace Exchange.Core.Crypto;

/// <summary>
/// One BIP340 check: <see cref="Schnorr.Verify(in PublicKey, in Hash32, in Signature)"/> itself, or a caller's record
/// of checks already made, which must give the same answer for the same key, message and signature. A node passes its
/// record so that a vote verified when it arrived is not verified again inside the next block's commit; whatever is
/// passed, the outcome of every check that uses it stays the same, so the state machine and consensus stay deterministic.
/// </summary>
public delegate SignatureCheck SignatureVerifier(in PublicKey key, in Hash32 message, in Signature signature);
