using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.State;

namespace Exchange.Simulation;

/// <summary>
/// One simulated machine. What survives a crash is durable: the sign-state store behind its
/// <see cref="PrivValidator"/>, the chain of blocks it committed with their commits and the application state after
/// them, the messages it signed at the height it is on (its write-ahead log: after a restart its gossip sends them
/// again, so peers still see the rounds it reached, as CometBFT's WAL replay does), and the evidence it found or was
/// sent (CometBFT's evidence store: a restarted core gets it back). Everything else (the consensus core, peers' messages it would
/// relay, buffered early messages) is volatile and is lost on a crash; a restart builds a new core over the same
/// store and resumes at the first height not yet committed.
/// </summary>
internal sealed class SimNode(int index, KeyPair key, Behaviour behaviour, bool honest, ExchangeState state)
{
    public int Index { get; } = index;
    public KeyPair Key { get; } = key;
    public Behaviour Behaviour { get; } = behaviour;
    public bool Honest { get; } = honest;

    // Durable.
    public InMemorySignStateStore Store { get; } = new();
    public List<(Block Block, Commit Commit)> Chain { get; } = [];
    /// <summary>The application state after <see cref="Chain"/>.</summary>
    public ExchangeState State { get; } = state;
    /// <summary>Evidence found or received and not yet slashed in <see cref="State"/>, by offence.</summary>
    public SortedDictionary<Offence, EquivocationEvidence> EvidenceStore { get; } = new();
    public ulong NextHeight => (ulong)Chain.Count + 1;
    /// <summary>What this node sent at its current height, per peer, as sent (the write-ahead log): gossip resends it when stuck.</summary>
    public List<(int To, byte[] Bytes)> Sent { get; } = [];

    // Volatile.
    public ConsensusCore? Core { get; private set; }
    public int Incarnation { get; private set; }
    public bool Up => Core is not null;
    /// <summary>Peers' messages of this height that passed the core's checks, by round: gossip relays them, as CometBFT's vote gossip does.</summary>
    public List<(uint Round, byte[] Bytes)> Relay { get; } = [];
    public SortedSet<Hash32> Relayed { get; } = new();
    /// <summary>Messages for the next height that arrived before this node started it.</summary>
    public List<(ulong Height, ConsensusInput Input)> Early { get; } = [];
    public ulong HeightAtLastTick { get; set; }
    public SortedDictionary<(int Peer, ulong Height), long> LastSyncSent { get; } = new();

    // For the evidence check: per incarnation, the distinct values (block hash and, for proposals, proof-of-lock round)
    // of the votes and proposals the core took in past their signature checks, by offence slot, and the evidence it found.
    public SortedDictionary<Offence, SortedSet<(Hash32 BlockHash, int PolRound)>> Accepted { get; } = new();
    public SortedSet<Offence> EvidenceFor { get; } = new();
    public List<EquivocationEvidence> EvidenceFound { get; } = [];

    public void Boot(ConsensusConfig config)
    {
        Incarnation++;
        Core = new ConsensusCore(config, new PrivValidator(Key, Store));
        Relay.Clear();
        Relayed.Clear();
        Early.Clear();
        LastSyncSent.Clear();
        Accepted.Clear();
        EvidenceFor.Clear();
        EvidenceFound.Clear();
        HeightAtLastTick = 0;
    }

    public void Crash() => Core = null;

    /// <summary>Commits a block: the state applies it (and throws if it cannot), the core's pool and the evidence store forget what it slashed.</summary>
    public void Append(Block block, Commit commit)
    {
        Chain.Add((block, commit));
        Sent.Clear();
        Relay.Clear();
        Relayed.Clear();
        State.Apply(block);
        Core?.Evidence.MarkCommitted(block.EvidenceList);
        foreach (var offence in EvidenceStore.Keys.Where(State.IsSlashed).ToArray()) EvidenceStore.Remove(offence);
    }
}
