using Akka.Actor;
using Akka.Event;
using Akka.Persistence.Sql;

namespace Exchange.Node.Ledger;

/// <summary>Starts the ledger with its store readied before the journal plugin first opens it.</summary>
public static class LedgerStartup
{
    /// <summary>
    /// Prepares the configured store (<see cref="LedgerStorage.Prepare"/>), loads Akka.Persistence.Sql's defaults and
    /// starts the <see cref="LedgerActor"/>.
    /// The actor system must have been created with <see cref="LedgerSettings.DefaultConfig"/> as a fallback.
    /// </summary>
    public static IActorRef Start(ActorSystem system, LedgerSettings settings, string name = "ledger")
    {
        system.Log.Info("ledger store: {0}", LedgerStorage.Prepare(system.Settings.Config));
        // Akka.Persistence.Sql's reference configuration (plugin classes, table layouts) under the host's settings.
        SqlPersistence.Get(system);
        return system.ActorOf(LedgerActor.Props(settings), name);
    }
}
