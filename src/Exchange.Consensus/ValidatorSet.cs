using System.Collections.ObjectModel;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;

namespace Exchange.Consensus;

/// <summary>
/// An immutable validator set, sorted by key, with CometBFT's proposer rotation
/// (<c>types/validator_set.go</c>). Every operation returns a new set.
/// <para>
/// Rotation, once per step: every validator's priority grows by its power; the one with the highest
/// priority (ties to the smaller key) is the proposer and loses the total power. Over any window of
/// <see cref="TotalPower"/> steps from centred priorities each validator proposes in proportion to its
/// power. Before a batch of steps, as in CometBFT: priorities are scaled down (integer division
/// truncating toward zero, by <c>ceil(diff / (2·total))</c>) when their spread exceeds
/// <c>2·TotalPower</c>, then centred by subtracting their floor average, so they stay bounded however
/// the set changes. Arithmetic clips at <see cref="long"/> bounds like CometBFT's safeAddClip.
/// </para>
/// </summary>
public sealed class ValidatorSet
{
    public const int MaxValidators = 1_000;
    /// <summary>CometBFT's MaxTotalVotingPower: total power stays below int64 max / 8, so priority arithmetic has headroom.</summary>
    public const long MaxTotalPower = long.MaxValue / 8;
    /// <summary>CometBFT's PriorityWindowSizeFactor.</summary>
    public const long PriorityWindowSizeFactor = 2;
    public const string HashTag = "exchange/validator-set/v1";

    private readonly Validator[] _validators;
    private readonly int _proposerIndex;

    public IReadOnlyList<Validator> Validators => _validators;
    public long TotalPower { get; }
    public int Count => _validators.Length;

    /// <summary>The proposer chosen by the last rotation step.</summary>
    public Validator Proposer => _validators[_proposerIndex];

    private ValidatorSet(Validator[] sortedValidators, int proposerIndex)
    {
        _validators = sortedValidators;
        _proposerIndex = proposerIndex;
        long total = 0;
        foreach (var v in sortedValidators) total += v.Power;
        TotalPower = total;
    }

    /// <summary>
    /// A genesis set: priorities zero, then one rotation step, as CometBFT's NewValidatorSet does.
    /// Throws on an empty set, a duplicate key, a non-positive power or a total above <see cref="MaxTotalPower"/>.
    /// </summary>
    public static ValidatorSet Create(IEnumerable<(PublicKey Key, long Power)> validators) =>
        FromPriorities(validators.Select(v => new Validator(v.Key, v.Power, 0))).IncrementProposerPriority(1);

    /// <summary>A set with given priorities (as stored in the ledger), with no rotation step applied; the proposer is the current highest priority.</summary>
    public static ValidatorSet FromPriorities(IEnumerable<Validator> validators)
    {
        var sorted = validators.OrderBy(v => v.Key).ToArray();
        if (sorted.Length == 0) throw new ArgumentException("a validator set is not empty", nameof(validators));
        if (sorted.Length > MaxValidators) throw new ArgumentException($"{sorted.Length} validators exceed {MaxValidators}", nameof(validators));
        Int128 total = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (sorted[i].Power <= 0) throw new ArgumentException($"validator {sorted[i].Key} has power {sorted[i].Power}", nameof(validators));
            if (i > 0 && sorted[i].Key == sorted[i - 1].Key) throw new ArgumentException($"validator {sorted[i].Key} appears twice", nameof(validators));
            total += sorted[i].Power;
        }
        if (total > MaxTotalPower) throw new ArgumentException($"total power {total} exceeds {MaxTotalPower}", nameof(validators));
        return new ValidatorSet(sorted, HighestPriority(sorted));
    }

    public bool TryGet(PublicKey key, out Validator validator)
    {
        var i = IndexOf(key);
        validator = i >= 0 ? _validators[i] : default;
        return i >= 0;
    }

    public bool Contains(PublicKey key) => IndexOf(key) >= 0;

    public long PowerOf(PublicKey key) => TryGet(key, out var v) ? v.Power : 0;

    /// <summary>Binary search over the sorted keys.</summary>
    public int IndexOf(PublicKey key)
    {
        int lo = 0, hi = _validators.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = _validators[mid].Key.CompareTo(key);
            if (c == 0) return mid;
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
        return -1;
    }

    /// <summary>Key to power, in the shape <see cref="Exchange.Core.Ledger.Commit.Verify"/> takes.</summary>
    public IReadOnlyDictionary<PublicKey, long> PowerByKey() =>
        new ReadOnlyDictionary<PublicKey, long>(_validators.ToDictionary(v => v.Key, v => v.Power));

    public bool HasTwoThirds(Int128 power) => Quorum.IsTwoThirds(power, TotalPower);
    public bool HasOneThird(Int128 power) => Quorum.IsOneThird(power, TotalPower);

    /// <summary>Keys and powers in key order, under its own tag; priorities are rotation state, not membership, and are left out (as in CometBFT).</summary>
    public Hash32 Hash()
    {
        var w = new CanonicalWriter(16 + _validators.Length * 42);
        w.WriteVarUInt((ulong)_validators.Length);
        foreach (var v in _validators)
        {
            w.WritePublicKey(v.Key);
            w.WriteVarUInt((ulong)v.Power);
        }
        return Hash32.Tagged(HashTag, w.Written);
    }

    /// <summary>CometBFT's IncrementProposerPriority: rescale, centre, then <paramref name="times"/> rotation steps.</summary>
    public ValidatorSet IncrementProposerPriority(int times)
    {
        if (times <= 0) throw new ArgumentOutOfRangeException(nameof(times), times, "at least one step");
        var vals = (Validator[])_validators.Clone();
        RescalePriorities(vals, PriorityWindowSizeFactor * TotalPower);
        ShiftByAveragePriority(vals);
        var proposer = -1;
        for (var i = 0; i < times; i++) proposer = Step(vals, TotalPower);
        return new ValidatorSet(vals, proposer);
    }

    private static int Step(Validator[] vals, long total)
    {
        for (var i = 0; i < vals.Length; i++)
            vals[i] = vals[i] with { ProposerPriority = ClipAdd(vals[i].ProposerPriority, vals[i].Power) };
        var most = HighestPriority(vals);
        vals[most] = vals[most] with { ProposerPriority = ClipAdd(vals[most].ProposerPriority, -total) };
        return most;
    }

    /// <summary>The highest priority; among equals the smallest key, which is the first in key order.</summary>
    private static int HighestPriority(Validator[] vals)
    {
        var best = 0;
        for (var i = 1; i < vals.Length; i++)
            if (vals[i].ProposerPriority > vals[best].ProposerPriority) best = i;
        return best;
    }

    private static void RescalePriorities(Validator[] vals, long diffMax)
    {
        long min = long.MaxValue, max = long.MinValue;
        foreach (var v in vals)
        {
            min = Math.Min(min, v.ProposerPriority);
            max = Math.Max(max, v.ProposerPriority);
        }
        var diff = (Int128)max - min;
        if (diff <= diffMax) return;
        var ratio = (long)((diff + diffMax - 1) / diffMax);
        for (var i = 0; i < vals.Length; i++)
            vals[i] = vals[i] with { ProposerPriority = vals[i].ProposerPriority / ratio };  // truncates toward zero, like Go
    }

    private static void ShiftByAveragePriority(Validator[] vals)
    {
        Int128 sum = 0;
        foreach (var v in vals) sum += v.ProposerPriority;
        // Go's big.Int Div is Euclidean: for a positive divisor it is the floor.
        var q = sum / vals.Length;
        if (sum < 0 && q * vals.Length != sum) q -= 1;
        var avg = (long)q;
        for (var i = 0; i < vals.Length; i++)
            vals[i] = vals[i] with { ProposerPriority = ClipAdd(vals[i].ProposerPriority, -avg) };
    }

    private static long ClipAdd(long a, long b)
    {
        var s = (Int128)a + b;
        return s > long.MaxValue ? long.MaxValue : s < long.MinValue ? long.MinValue : (long)s;
    }

    /// <summary>
    /// Applies stake changes from the ledger as CometBFT's UpdateWithChangeSet does: power zero removes a
    /// validator, a known key takes its new power and keeps its priority, a new key starts at
    /// <c>-1.125 × new total</c> (so it cannot propose at once and gain from joining). No rotation step is
    /// taken here; <see cref="ValidatorSchedule"/> takes one per height.
    /// </summary>
    public ValidatorSet WithChanges(IEnumerable<(PublicKey Key, long Power)> changes)
    {
        var byKey = new SortedDictionary<PublicKey, Validator>();
        foreach (var v in _validators) byKey[v.Key] = v;
        var added = new List<PublicKey>();
        var seen = new SortedSet<PublicKey>();
        foreach (var (key, power) in changes.OrderBy(c => c.Key))
        {
            if (!seen.Add(key)) throw new ArgumentException($"validator {key} changes twice", nameof(changes));
            if (power < 0) throw new ArgumentException($"validator {key} gets negative power {power}", nameof(changes));
            if (power == 0)
            {
                if (!byKey.Remove(key)) throw new ArgumentException($"validator {key} is removed but not in the set", nameof(changes));
            }
            else if (byKey.TryGetValue(key, out var existing)) byKey[key] = existing with { Power = power };
            else
            {
                byKey[key] = new Validator(key, power, 0);
                added.Add(key);
            }
        }
        Int128 total = 0;
        foreach (var v in byKey.Values) total += v.Power;
        if (total > MaxTotalPower) throw new ArgumentException($"total power {total} exceeds {MaxTotalPower}", nameof(changes));
        var start = -(long)(total + (total >> 3));
        foreach (var key in added) byKey[key] = byKey[key] with { ProposerPriority = start };
        return FromPriorities(byKey.Values);
    }
}
