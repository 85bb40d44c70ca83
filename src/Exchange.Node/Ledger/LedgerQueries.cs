using Akka;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Streams.Dsl;

namespace Exchange.Node.Ledger;

/// <summary>
/// Committed blocks read straight from the journal through Akka.Persistence.Query: for block sync beyond the
/// ledger's cache, and for read models that follow the chain from a height of their choosing, in this process or
/// another one on the same store. The journal's sequence number is the block height.
/// </summary>
public static class LedgerQueries
{
    /// <summary>Blocks <paramref name="from"/> to <paramref name="to"/> that the journal holds now; the stream then completes.</summary>
    public static Source<BlockCommitted, NotUsed> CurrentBlocks(ActorSystem system, LedgerSettings settings, ulong from, ulong to) =>
        Journal<ICurrentEventsByPersistenceIdQuery>(system, settings)
            .CurrentEventsByPersistenceId(settings.PersistenceId, ToSequenceNr(from), ToSequenceNr(to))
            .Select(ToBlock);

    /// <summary>Every block from <paramref name="from"/> on, then each new one as the journal is polled; never completes.</summary>
    public static Source<BlockCommitted, NotUsed> Blocks(ActorSystem system, LedgerSettings settings, ulong from) =>
        Journal<IEventsByPersistenceIdQuery>(system, settings)
            .EventsByPersistenceId(settings.PersistenceId, ToSequenceNr(from), long.MaxValue)
            .Select(ToBlock);

    private static T Journal<T>(ActorSystem system, LedgerSettings settings) where T : IReadJournal =>
        PersistenceQuery.Get(system).ReadJournalFor<T>(settings.QueryJournalPluginId);

    private static long ToSequenceNr(ulong height) => height > long.MaxValue ? long.MaxValue : (long)height;

    private static BlockCommitted ToBlock(EventEnvelope envelope)
    {
        var block = envelope.Event as BlockCommitted
            ?? throw new LedgerHaltException($"journal entry {envelope.SequenceNr} of {envelope.PersistenceId} is a {envelope.Event?.GetType().Name}, not a block");
        if ((long)block.Height != envelope.SequenceNr)
            throw new LedgerHaltException($"journal entry {envelope.SequenceNr} holds block {block.Height}");
        return block;
    }
}
