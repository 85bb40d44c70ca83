namespace Exchange.Consensus;

/// <summary>
/// Where the last signed (height, round, step) lives. The node backs it with durable storage: <see cref="Save"/>
/// returns only once the state would survive a crash (written and flushed), because the signature is sent
/// right after it returns.
/// </summary>
public interface ISignStateStore
{
    LastSignState? Load();
    void Save(LastSignState state);
}

/// <summary>A store in memory, for tests and simulations; a "restart" is a new core over the same store.</summary>
public sealed class InMemorySignStateStore : ISignStateStore
{
    private LastSignState? _state;
    public int Saves { get; private set; }
    public LastSignState? Load() => _state;
    public void Save(LastSignState state)
    {
        _state = state;
        Saves++;
    }
}
