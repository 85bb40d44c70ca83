using Akka.Actor;
using Akka.Event;
using Akka.Persistence.Sql;

namespace Exchange.Node.Ledger;

/// <summary>Starts the ledger with its store readied before the journal plugin first opens it.</summary>
public static class LedgerStartup
{
    /// <summary>
    /// Prepares the configured store (<see cref="LedgerStorage.Prepare"/>), starts checkpointing a SQLite one off the
    /// commits (<see cref="SqliteCheckpointer"/>), loads Akka.Persistence.Sql's defaults and starts the <see cref="LedgerActor"/>.
    /// The actor system must have been created with <see cref="LedgerSettings.DefaultConfig"/> as a fallback.
    /// </summary>
    public static IActorRef Start(ActorSystem system, LedgerSettings settings, string name = "ledger")
    {
        system.Log.Info("ledger store: {0}", LedgerStorage.Prepare(system.Settings.Config));
        if (settings.SqliteCheckpointInterval > TimeSpan.Zero)
            foreach (var connection in LedgerStorage.SqliteConnectionStrings(system.Settings.Config))
            {
                var checkpointer = SqliteCheckpointer.Start(connection, settings.SqliteCheckpointInterval, Logging.GetLogger(system, typeof(SqliteCheckpointer)));
                system.RegisterOnTermination(checkpointer.Dispose);
            }
        // Akka.Persistence.Sql's reference configuration (plugin classes, table layouts) under the host's settings.
        SqlPersistence.Get(system);
        return system.ActorOf(LedgerActor.Props(settings), name);
    }
}
