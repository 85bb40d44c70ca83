using Akka.Event;
using Microsoft.Data.Sqlite;

namespace Exchange.Node.Ledger;

/// <summary>
/// Copies the SQLite journal's write-ahead log back into the database on a thread of its own, so a block's commit
/// never does it.
/// </summary>
/// <remarks>
/// SQLite checkpoints by itself once a commit leaves the log at 1,000 pages, and does so inside that commit, with
/// an fsync of the database file. Every node writes the same blocks, so all of them reached that point at the same
/// height: every three seconds or so in a loaded devnet, each validator's journal write for one height took 6-77 ms longer
/// (a perf uprobe on <c>sqlite3_wal_checkpoint_v2</c>, docs/benchmarks.md, session 14), and the whole chain
/// stalled on that height. The threshold is per connection and Akka.Persistence.Sql opens the journal's own, so
/// instead this keeps the log far below it: a passive checkpoint every <c>sqlite-checkpoint-interval</c>, which
/// waits for no writer and no reader. Once a checkpoint has copied the whole log, the next commit starts it again
/// from the beginning, so the journal's connections never find it long enough to checkpoint themselves.
/// </remarks>
public sealed class SqliteCheckpointer : IDisposable
{
    private readonly string _connectionString;
    private readonly TimeSpan _interval;
    private readonly ILoggingAdapter _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _checkpoints;

    private SqliteCheckpointer(string connectionString, TimeSpan interval, ILoggingAdapter log)
    {
        _connectionString = connectionString;
        _interval = interval;
        _log = log;
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-checkpoint" };
    }

    /// <summary>Starts checkpointing the database of <paramref name="connectionString"/> (prepared by <see cref="LedgerStorage.PrepareSqlite"/>).</summary>
    public static SqliteCheckpointer Start(string connectionString, TimeSpan interval, ILoggingAdapter log)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "the checkpoint interval must be positive");
        var checkpointer = new SqliteCheckpointer(connectionString, interval, log);
        checkpointer._thread.Start();
        return checkpointer;
    }

    /// <summary>Checkpoints that copied the whole log (for tests and diagnostics).</summary>
    public long CompleteCheckpoints => Interlocked.Read(ref _checkpoints);

    private void Run()
    {
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            while (!_stop.Token.WaitHandle.WaitOne(_interval))
            {
                try
                {
                    // One row: busy (1 when a writer held the lock too long), pages in the log, pages copied back.
                    using var reader = command.ExecuteReader();
                    if (reader.Read() && reader.GetInt64(0) == 0 && reader.GetInt64(1) == reader.GetInt64(2)) Interlocked.Increment(ref _checkpoints);
                }
                catch (SqliteException e)
                {
                    // A locked or busy database is retried at the next interval; the journal's commits are unaffected.
                    _log.Warning("SQLite checkpoint of the ledger journal failed, retrying in {0}: {1}", _interval, e.Message);
                }
            }
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException)
        {
            // Without this thread SQLite checkpoints inside commits again: slower heights now and then, nothing lost.
            _log.Error(e, "SQLite checkpoints of the ledger journal stopped; commits will checkpoint by themselves");
        }
    }

    /// <summary>Stops the thread after the checkpoint in progress, if any.</summary>
    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        if (_thread.IsAlive) _thread.Join();
        _stop.Dispose();
    }
}
