using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Node.Mempool;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Exchange.Node.Tests.Mempool.MempoolFixture;

namespace Exchange.Node.Tests.Mempool;

/// <summary>
/// Generated sequences of submissions (next nonce, replay, gap, duplicate, forged signature) and
/// blocks (a reaped prefix, or another transaction at a sender's next nonce) against a pool of
/// twelve transactions and five per sender, run next to a plain list model of what the pool should
/// hold. After every step: the pool's invariants hold, it holds exactly the model's transactions in
/// the model's order, and every refusal left it unchanged.
/// </summary>
public sealed class TxPoolProperties
{
    private const int MaxPool = 12, MaxPerSender = 5;

    private enum Op { Next, Replay, Gap, Duplicate, Forged, CommitReaped, CommitForeign }

    private readonly record struct Step(Op Op, int Sender, int Param);

    private static readonly Gen<Step> StepGen =
        from op in Gen.Frequency(
            (8, Gen.Constant(Op.Next)), (1, Gen.Constant(Op.Replay)), (1, Gen.Constant(Op.Gap)), (1, Gen.Constant(Op.Duplicate)),
            (1, Gen.Constant(Op.Forged)), (2, Gen.Constant(Op.CommitReaped)), (1, Gen.Constant(Op.CommitForeign)))
        from sender in Gen.Choose(0, 2)
        from param in Gen.Choose(0, 1_000)
        select new Step(op, sender, param);

    private sealed record Entry(PublicKey Sender, ulong Nonce, Hash32 Hash, byte[] Bytes);

    [Property(Replay = "(9201, 3141)", MaxTest = 150)]
    public Property Pool_should_match_a_list_model_and_keep_its_invariants_through_any_sequence()
    {
        var steps = StepGen.ListOf().Resize(40).ToArbitrary();
        return Prop.ForAll(steps, Run);
    }

    private static void Run(IList<Step> steps)
    {
        var chain = new MempoolFixture(traders: 1);
        KeyPair[] keys = [Alice, Bob, Trader(0)];
        var pool = new TxPool(new MempoolLimits(MaxPool, 1024 * 1024, MaxPerSender), chain.View());
        var model = new List<Entry>();
        long amount = 0;

        ulong Committed(KeyPair k) => pool.Committed.TryGetAccount(k.PublicKey, out var a) ? a.Nonce : throw new InvalidOperationException("no account");
        ulong NextFree(KeyPair k) => model.Where(e => e.Sender == k.PublicKey).Select(e => e.Nonce).DefaultIfEmpty(Committed(k)).Max() + 1;
        MempoolError? CapacityError(KeyPair k) =>
            model.Count >= MaxPool ? MempoolError.PoolFull
            : model.Count(e => e.Sender == k.PublicKey) >= MaxPerSender ? MempoolError.SenderLimit
            : null;

        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var key = keys[step.Sender];
            var where = $"step {i} {step}";
            switch (step.Op)
            {
                case Op.CommitReaped:
                {
                    var reaped = pool.ReapBatch(step.Param % 5, long.MaxValue);
                    Assert.Equal(model.Take(step.Param % 5).Select(e => e.Hash), reaped.Select(p => p.Hash));
                    var outcome = pool.OnBlockCommitted(chain.Commit(reaped.Select(p => p.Tx).ToArray()), chain.View());
                    Assert.True(outcome.Committed == reaped.Count && outcome.Dropped.Count == 0, where);
                    model.RemoveRange(0, reaped.Count);
                    break;
                }
                case Op.CommitForeign:
                {
                    var nonce = Committed(key) + 1;
                    var outcome = pool.OnBlockCommitted(chain.Commit(Tx(key, nonce, Pay(1 + ++amount % 1_000, key == Bob ? Alice : Bob))), chain.View());
                    var displaced = model.Where(e => e.Sender == key.PublicKey && e.Nonce == nonce).Select(e => e.Hash).ToArray();
                    Assert.True(displaced.SequenceEqual(outcome.Dropped.Select(d => d.Hash)), where);
                    Assert.All(outcome.Dropped, d => Assert.Equal(MempoolError.ReplayedNonce, d.Reason.Error));
                    model.RemoveAll(e => displaced.Contains(e.Hash));
                    break;
                }
                default:
                {
                    var (bytes, expected) = Submission(step, key);
                    var before = Fingerprint(pool);
                    var result = pool.Submit(bytes);
                    if (expected is { } error)
                    {
                        Assert.True(error == result.Error, $"{where}: expected {error}, got {result}");
                        Assert.Equal(before, Fingerprint(pool));
                    }
                    else
                    {
                        Assert.True(result.IsAccepted, $"{where}: {result}");
                        model.Add(new Entry(key.PublicKey, Transaction.Decode(bytes).Nonce, result.Hash, bytes));
                    }
                    break;
                }
            }
            pool.ValidateInternalState();
            Assert.True(model.Select(e => e.Hash).SequenceEqual(pool.Pending.Select(p => p.Hash)), $"{where}: pool differs from the model");
        }

        (byte[] Bytes, MempoolError? Expected) Submission(Step step, KeyPair key)
        {
            var to = key == Bob ? Alice : Bob;
            switch (step.Op)
            {
                case Op.Next:
                    return (Bytes(key, NextFree(key), Pay(1 + ++amount % 1_000, to)), CapacityError(key));
                case Op.Replay:
                    return (Bytes(key, Committed(key) - Math.Min(Committed(key), (ulong)step.Param % 3), Pay(1 + ++amount % 1_000, to)), MempoolError.ReplayedNonce);
                case Op.Gap:
                    // A gap is judged at admission, after the cheap checks, so a full pool or sender says so first.
                    return (Bytes(key, NextFree(key) + 1 + (ulong)step.Param % 3, Pay(1 + ++amount % 1_000, to)), CapacityError(key) ?? MempoolError.NonceGap);
                case Op.Duplicate when model.Count > 0:
                    return (model[step.Param % model.Count].Bytes, MempoolError.Duplicate);
                case Op.Duplicate:
                    return (Bytes(key, 0, Pay(1, to)), MempoolError.ReplayedNonce);
                case Op.Forged:
                {
                    var forged = Bytes(key, NextFree(key), Pay(1 + ++amount % 1_000, to));
                    forged[^1] ^= 1;
                    return (forged, CapacityError(key) ?? MempoolError.BadSignature);
                }
                default:
                    throw new ArgumentOutOfRangeException(nameof(step), step.Op, "not a submission");
            }
        }
    }
}
