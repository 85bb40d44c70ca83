using Exchange.Core.Oracle;

namespace Exchange.Node.Oracle;

/// <summary>Every message the oracle actor takes or answers.</summary>
public interface IOracleMessage;

/// <summary>
/// The validator is about to precommit at <paramref name="Height"/> and wants its signed index observation for the
/// vote extension. Answered by <see cref="ObservationReady"/>, or <see cref="ObservationUnavailable"/> when the source
/// failed or was too slow (the validator then precommits without one). Asking again for the same height (a later
/// round) returns the same observation.
/// </summary>
public sealed record ObserveFor(ulong Height) : IOracleMessage;

/// <summary>The validator's signed observation for <see cref="PriceObservation.Height"/>.</summary>
public sealed record ObservationReady(PriceObservation Observation) : IOracleMessage;

public sealed record ObservationUnavailable(ulong Height, string Reason) : IOracleMessage;
