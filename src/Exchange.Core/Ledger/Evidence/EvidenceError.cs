namespace Exchange.Core.Ledger;

/// <summary>
/// Why equivocation evidence is refused. Codes are stable and grouped by stage: 1-9 the evidence's own shape
/// (<see cref="EquivocationEvidence.Validate"/>), 10s its signatures for the chain
/// (<see cref="EquivocationEvidence.Verify"/>), 20s the state at the block that carries it.
/// </summary>
public enum EvidenceError
{
    None = 0,
    /// <summary>Height 0: nothing is signed at height 0.</summary>
    ZeroHeight = 1,
    /// <summary>The two messages are signed by different keys.</summary>
    OffenderMismatch = 2,
    /// <summary>The two messages are not for one height, round and vote type.</summary>
    DifferentStep = 3,
    /// <summary>The two messages are the same value: no equivocation.</summary>
    NotConflicting = 4,
    /// <summary>The two messages are not in their canonical order (the lesser first).</summary>
    NonCanonicalOrder = 5,
    /// <summary>A vote type or evidence kind the format does not define.</summary>
    UnknownKind = 6,
    /// <summary>A proposal's proof-of-lock round is below -1 or not below its round.</summary>
    PolRoundOutOfRange = 7,

    /// <summary>A signature does not verify for this chain (a forged message, or one signed for another chain).</summary>
    InvalidSignature = 10,

    /// <summary>The offence is at or above the height of the block that carries it.</summary>
    FutureHeight = 20,
    /// <summary>The offence is older than the genesis evidence age window.</summary>
    Expired = 21,
    /// <summary>The key was not in the validator set at the offence's height: its signature there was never a vote.</summary>
    NotAValidator = 22,
    /// <summary>Two pieces of evidence in one block for one offence, or not in offence order.</summary>
    DuplicateInBlock = 23,
}

/// <summary>The outcome of an evidence check: <see cref="EvidenceError.None"/> or an error with a message a person can act on.</summary>
public readonly record struct EvidenceValidation(EvidenceError Error, string Message)
{
    public static readonly EvidenceValidation Ok = new(EvidenceError.None, "");
    public bool IsValid => Error == EvidenceError.None;
    public static EvidenceValidation Fail(EvidenceError error, string message) => new(error, message);
    public override string ToString() => IsValid ? "ok" : $"{Error} ({(int)Error}): {Message}";
}
