using Exchange.Core.State;

namespace Exchange.Node.Market;

/// <summary>
/// The ledger's side of the read model: decides which views are full and extracts them. It belongs to the ledger
/// actor and is called only on its thread, right after each <see cref="ExchangeState.Apply"/>:
/// <code>
/// var result = _state.Apply(block);
/// var view = _readModel.Next(_state, result.Events);      // before anything can apply the next block
/// // ... once the block is durable:
/// Context.System.EventStream.Publish(view);
/// </code>
/// After recovery the ledger publishes <see cref="Current"/>; on <see cref="ReadSideResyncRequested"/> it calls
/// <see cref="RequestFull"/>. The first view it gives is always full, then every
/// <see cref="ReadModelSettings.FullSnapshotInterval"/> heights.
/// </summary>
public sealed class ReadModelExtractor(ReadModelSettings settings)
{
    private bool _fullRequested = true;

    public ReadModelSettings Settings => settings;

    /// <summary>Makes the next view full.</summary>
    public void RequestFull() => _fullRequested = true;

    /// <summary>The views after the block just applied.</summary>
    public StateAdvanced Next(ExchangeState state, IReadOnlyList<StateEvent> events)
    {
        var full = _fullRequested || state.Height % (ulong)settings.FullSnapshotInterval == 0;
        _fullRequested = false;
        return ReadModel.Extract(state, events, settings, full);
    }

    /// <summary>A full view of the state as it stands (after recovery, before any new block).</summary>
    public StateAdvanced Current(ExchangeState state)
    {
        _fullRequested = false;
        return ReadModel.Snapshot(state, settings);
    }
}
