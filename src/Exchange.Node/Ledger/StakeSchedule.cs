using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;
using Exchange.Core.State;

namespace Exchange.Node.Ledger;

/// <summary>
/// Who signs which height, from the ledger's stake: every account with bonded stake is a validator with that stake
/// (micro-USDC) as its voting power, the same weights the state's oracle uses. Cluster membership never enters it.
/// After block h the schedule names the set for h + 1 and, through <see cref="ValidatorSchedule.AfterCommit"/>, takes
/// the stake changes of block h into the set for h + 2. Proposer priorities depend on the whole history, so the
/// ledger keeps the schedule beside the state and stores it in its snapshots.
/// </summary>
public sealed class StakeSchedule
{
    private Dictionary<PublicKey, long> _powers;

    public ValidatorSchedule Schedule { get; private set; }

    /// <summary>The set that signed the last applied height (null at genesis): a next block's last commit verifies against it.</summary>
    public ValidatorSet? Previous { get; private set; }

    private StakeSchedule(ValidatorSchedule schedule, ValidatorSet? previous, Dictionary<PublicKey, long> powers)
    {
        Schedule = schedule;
        Previous = previous;
        _powers = powers;
    }

    /// <summary>The schedule of a chain at genesis: the genesis stake signs heights 1 and 2.</summary>
    public static StakeSchedule Genesis(ExchangeState genesis)
    {
        var powers = Powers(genesis);
        return new StakeSchedule(ValidatorSchedule.Genesis(ValidatorSet.Create(powers.Select(p => (p.Key, p.Value)))), null, powers);
    }

    /// <summary>Takes block <paramref name="state"/>.Height's stake changes into the schedule; call right after each applied block.</summary>
    public void AfterBlock(ExchangeState state)
    {
        var powers = Powers(state);
        var changes = new List<(PublicKey Key, long Power)>();
        foreach (var (key, power) in powers)
            if (_powers.GetValueOrDefault(key) != power) changes.Add((key, power));
        foreach (var key in _powers.Keys)
            if (!powers.ContainsKey(key)) changes.Add((key, 0));
        changes.Sort((a, b) => a.Key.CompareTo(b.Key));
        Previous = Schedule.Validators;
        Schedule = Schedule.AfterCommit(changes);
        _powers = powers;
    }

    private static Dictionary<PublicKey, long> Powers(ExchangeState state)
    {
        var powers = new Dictionary<PublicKey, long>();
        foreach (var a in state.Accounts)
            if (a.Stake > 0) powers[a.Key] = a.Stake;
        return powers;
    }

    public void WriteTo(CanonicalWriter w)
    {
        w.WriteVarUInt(Schedule.Height);
        WriteSet(w, Schedule.Validators);
        WriteSet(w, Schedule.NextValidators);
        w.WriteBool(Previous is not null);
        if (Previous is not null) WriteSet(w, Previous);
    }

    /// <summary>Reads a schedule stored with <see cref="WriteTo"/> for the state it was stored with.</summary>
    public static StakeSchedule Read(ref CanonicalReader r, ExchangeState state)
    {
        var height = r.ReadVarUInt("schedule.height");
        if (height != state.Height + 1)
            throw new DecodeException(DecodeError.ValueOutOfRange, $"a schedule for height {height} stored with the state at height {state.Height}");
        var validators = ReadSet(ref r);
        var next = ReadSet(ref r);
        var previous = r.ReadBool("schedule.has_previous") ? ReadSet(ref r) : null;
        if ((previous is null) != (state.Height == 0))
            throw new DecodeException(DecodeError.ValueOutOfRange, $"a schedule at height {state.Height} {(previous is null ? "without" : "with")} the previous set");
        return new StakeSchedule(new ValidatorSchedule(height, validators, next), previous, Powers(state));
    }

    private static void WriteSet(CanonicalWriter w, ValidatorSet set)
    {
        w.WriteVarUInt((ulong)set.Count);
        foreach (var v in set.Validators)
        {
            w.WritePublicKey(v.Key);
            w.WriteVarInt(v.Power);
            w.WriteVarInt(v.ProposerPriority);
        }
    }

    private static ValidatorSet ReadSet(ref CanonicalReader r)
    {
        var count = r.ReadLength("schedule.validators", ValidatorSet.MaxValidators);
        var validators = new Exchange.Consensus.Validator[count];
        for (var i = 0; i < count; i++)
        {
            var key = r.ReadPublicKey("schedule.key");
            var power = r.ReadVarInt("schedule.power");
            if (power <= 0) throw new DecodeException(DecodeError.ValueOutOfRange, $"validator power {power}");
            validators[i] = new Exchange.Consensus.Validator(key, power, r.ReadVarInt("schedule.priority"));
        }
        try
        {
            return ValidatorSet.FromPriorities(validators);
        }
        catch (ArgumentException e)
        {
            throw new DecodeException(DecodeError.ValueOutOfRange, $"stored validator set: {e.Message}");
        }
    }
}
