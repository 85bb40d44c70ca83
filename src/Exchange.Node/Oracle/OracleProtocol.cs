namespace Exchange.Node.Oracle;

// The oracle answers the validator's own protocol (Exchange.Node.Validator.ObservationRequested, answered by
// ObservationReady), so the validator needs nothing of this namespace. What it adds is the failure, which the
// validator does not wait for: it precommits without an extension when no observation came.

/// <summary>
/// Published on the event stream when the oracle could not observe for <paramref name="Height"/>: the source failed,
/// was slower than <see cref="OracleSettings.ObserveTimeout"/>, or gave a reading the chain would refuse. The asker gets
/// no answer for that height.
/// </summary>
public sealed record ObservationUnavailable(ulong Height, string Reason);
