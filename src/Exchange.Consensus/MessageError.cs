namespace Exchange.Consensus;

/// <summary>Why a consensus message fails its stateless checks. 1xx: votes, 2xx: proposals.</summary>
public enum MessageError
{
    None = 0,
    ZeroHeight = 100,
    UnknownVoteType = 101,
    /// <summary>Only precommits for a block carry a vote extension.</summary>
    ExtensionNotAllowed = 102,
    /// <summary>The extension is not the voter's, or is for another height, or fails its own checks.</summary>
    ExtensionMismatch = 103,
    /// <summary>The proof-of-lock round is below -1 or not below the proposal's round.</summary>
    PolRoundOutOfRange = 200,
    /// <summary>The block is for another height.</summary>
    BlockMismatch = 201,
    /// <summary>The block fails its own stateless checks.</summary>
    InvalidBlock = 202,
}

/// <summary>The outcome of a message's Validate().</summary>
public readonly record struct MessageValidation(MessageError Error, string Message)
{
    public static readonly MessageValidation Ok = new(MessageError.None, "");
    public bool IsValid => Error == MessageError.None;
    public static MessageValidation Fail(MessageError error, string message) => new(error, message);
    public override string ToString() => IsValid ? "valid" : $"{Error}: {Message}";
}
