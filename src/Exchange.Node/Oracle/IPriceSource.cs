using Exchange.Core.Oracle;

namespace Exchange.Node.Oracle;

/// <summary>
/// Where a validator reads index prices. The default is <see cref="SimulatedPriceSource"/>, so a devnet runs offline;
/// a real source (an exchange's index over HTTP, say) implements the same method and plugs into
/// <see cref="OracleActor"/> unchanged. A source may be slow or fail: the oracle actor gives up after its timeout and
/// the validator precommits without an observation (the chain's oracle rules cope with a missing one).
/// </summary>
public interface IPriceSource
{
    /// <summary>
    /// The current price and implied volatility (millionths) of every index the source follows, for the precommit at
    /// <paramref name="height"/>. A source with a live feed may ignore the height; the simulated one uses it as its clock.
    /// </summary>
    Task<IReadOnlyList<IndexQuote>> ReadAsync(ulong height, CancellationToken cancellationToken);
}
