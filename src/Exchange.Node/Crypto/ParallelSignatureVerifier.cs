using System.Runtime.ExceptionServices;
using Exchange.Core.Crypto;

namespace Exchange.Node.Crypto;

/// <summary>
/// Checks a batch of BIP340 signatures on every core, for the mempool and block sync, where
/// thousands of signatures arrive together and each costs tens of microseconds.
/// </summary>
/// <remarks>
/// The calling thread works through the batch itself and asks up to <see cref="Workers"/> − 1
/// thread-pool threads to help. Every thread claims a few items at a time from one shared
/// counter, so a core slowed by other work simply takes fewer items and the batch ends when the
/// last claimed item does. The caller never waits for a helper that has not started yet: a
/// saturated thread pool makes a batch run on one core, never stall. A batch costs one small
/// allocation; the items and results stay where the caller put them.
/// </remarks>
public sealed class ParallelSignatureVerifier
{
    /// <summary>
    /// Items one thread claims at once. A verification is tens of microseconds, so claiming is
    /// rare enough that the shared counter never contends, and a batch's tail waits at most
    /// this many verifications on the slowest core.
    /// </summary>
    private const int ItemsPerClaim = 4;

    /// <summary>A verifier that uses every core the process may run on.</summary>
    public static ParallelSignatureVerifier AllCores { get; } = new(Environment.ProcessorCount);

    /// <param name="workers">Threads that may verify one batch at once, the caller included; at least 1.</param>
    public ParallelSignatureVerifier(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        Workers = workers;
    }

    /// <summary>Threads that may verify one batch at once, the calling thread included.</summary>
    public int Workers { get; }

    /// <summary>
    /// Verifies every item of <paramref name="batch"/> and writes its outcome to the same index of
    /// <paramref name="results"/>. Returns when every result is written. Safe to call from several
    /// threads at once; each call is its own batch.
    /// </summary>
    /// <exception cref="ArgumentException">The two spans differ in length.</exception>
    /// <exception cref="Secp256k1UnavailableException">The native library cannot be loaded.</exception>
    public unsafe void Verify(ReadOnlySpan<SignedMessage> batch, Span<SignatureCheck> results)
    {
        if (batch.Length != results.Length)
            throw new ArgumentException($"{batch.Length} items but room for {results.Length} results", nameof(results));

        // Helpers beyond one per spare claim would wake only to find the batch already taken.
        var helpers = Math.Min(Workers - 1, (batch.Length - 1) / ItemsPerClaim);
        if (helpers <= 0)
        {
            for (var i = 0; i < batch.Length; i++) results[i] = batch[i].Verify();
            return;
        }

        // Pinned for as long as Run takes: Run returns only once no helper can touch them again.
        fixed (SignedMessage* items = batch)
        fixed (SignatureCheck* checks = results)
            new Batch(items, checks, batch.Length).Run(helpers);
    }

    /// <summary>The shared state of one call, handed to the helpers as their work item.</summary>
    private sealed unsafe class Batch(SignedMessage* items, SignatureCheck* results, int count) : IThreadPoolWorkItem
    {
        private long _nextUnclaimed;
        private int _helpersInside;
        private int _closed;
        private ExceptionDispatchInfo? _failure;

        public void Run(int helpers)
        {
            try
            {
                for (var i = 0; i < helpers; i++) ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                Work();
            }
            catch (Exception e)
            {
                Fail(e);
            }
            finally
            {
                Close();
            }
            _failure?.Throw();
        }

        /// <summary>A helper's turn: join unless the caller has already closed the batch.</summary>
        void IThreadPoolWorkItem.Execute()
        {
            // Announce first, then look: with Close doing the opposite, either this helper sees the
            // batch closed or Close sees this helper inside (both are full fences).
            Interlocked.Increment(ref _helpersInside);
            try
            {
                if (Volatile.Read(ref _closed) == 0) Work();
            }
            catch (Exception e)
            {
                Fail(e);
            }
            finally
            {
                Interlocked.Decrement(ref _helpersInside);
            }
        }

        private void Work()
        {
            while (true)
            {
                var start = Interlocked.Add(ref _nextUnclaimed, ItemsPerClaim) - ItemsPerClaim;
                if (start >= count) return;
                var end = (int)Math.Min(start + ItemsPerClaim, count);
                for (var i = (int)start; i < end; i++) results[i] = items[i].Verify();
            }
        }

        /// <summary>Keeps the first failure and stops everyone from claiming more.</summary>
        private void Fail(Exception e)
        {
            Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            Interlocked.Exchange(ref _nextUnclaimed, count);
        }

        /// <summary>Turns away helpers not yet started and waits out those still finishing a claim.</summary>
        private void Close()
        {
            Interlocked.Exchange(ref _closed, 1);
            var spin = new SpinWait();
            // A claim in progress ends within a few verifications, so yielding beats sleeping: each yield hands the core to
            // whoever is ready, often the helper itself. Sleeping on a monitor that the last helper pulsed took the
            // devnet's peak down by a fifth in four interleaved pairs, though it made a quarter as many system calls
            // (docs/benchmarks.md, session 11).
            while (Volatile.Read(ref _helpersInside) != 0) spin.SpinOnce(sleep1Threshold: -1);
        }
    }
}
