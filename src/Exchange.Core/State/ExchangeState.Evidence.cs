using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;
using Exchange.Core.Numerics;

namespace Exchange.Core.State;

/// <summary>When a key joined or left the validator set: from <see cref="FromHeight"/> on, it is (or is not) a member.</summary>
public readonly record struct BondChange(ulong FromHeight, bool Bonded);

/// <summary>
/// Equivocation evidence and slashing. A block's evidence is checked whole before the block changes anything
/// (<see cref="ValidateEvidence"/>): each piece must verify for this chain, be for a height below the block's and no
/// more than <see cref="RiskParameters.EvidenceMaxAgeHeights"/> below it, and accuse a key that was in the validator
/// set at that height. Then each offence not slashed before loses <see cref="RiskParameters.SlashFractionBps"/> of the
/// offender's bonded stake, rounded down, to the insurance fund, so balances + stake + insurance + fee pool are
/// unchanged. Evidence for an offence already slashed is valid and ignored.
/// <para>
/// Set membership follows <c>ValidatorSchedule</c>: genesis validators sign from height 1; a stake that becomes
/// positive or zero in block H changes the set from H + 2. The state keeps, per key, those changes as far back as the
/// evidence window reaches, and the slashed offences still inside the window; both are committed by
/// <see cref="SlashingHash"/> in the app hash and carried by snapshots.
/// </para>
/// </summary>
public sealed partial class ExchangeState
{
    public const string SlashingTag = "exchange/slashing/v1";

    private readonly SortedSet<Offence> _slashed = new();
    private readonly SortedDictionary<PublicKey, List<BondChange>> _bonds = new();
    private Hash32? _slashingHash;

    /// <summary>Offences slashed whose height is still inside the evidence window, in offence order.</summary>
    public IReadOnlyCollection<Offence> SlashedOffences => _slashed;

    public bool IsSlashed(Offence offence) => _slashed.Contains(offence);

    /// <summary>Whether <paramref name="key"/> was in the validator set at <paramref name="height"/>, as far back as the evidence window reaches.</summary>
    public bool WasValidatorAt(PublicKey key, ulong height)
    {
        if (!_bonds.TryGetValue(key, out var changes)) return false;
        for (var i = changes.Count - 1; i >= 0; i--)
            if (changes[i].FromHeight <= height) return changes[i].Bonded;
        return false;
    }

    /// <summary>Commits the slashed offences and the set-membership history; recomputed only after they change.</summary>
    public Hash32 SlashingHash => _slashingHash ??= ComputeSlashingHash();

    /// <summary>
    /// Whether <paramref name="evidence"/> may go in the next block (height <see cref="Height"/> + 1): what a proposer
    /// filters its pool with, and what block validation requires of every piece.
    /// </summary>
    public EvidenceValidation CheckEvidence(EquivocationEvidence evidence) => CheckEvidence(evidence, Height + 1);

    /// <summary>
    /// The stateful check of a proposed block's evidence, against the state after the previous block: every piece must
    /// pass <see cref="CheckEvidence(EquivocationEvidence)"/>. A block that fails is invalid (consensus does not vote
    /// for it) and is never applied in part. Signatures are verified here.
    /// </summary>
    public BlockValidation ValidateEvidence(Block block)
    {
        var evidence = block.EvidenceList;
        for (var i = 0; i < evidence.Count; i++)
        {
            var check = CheckEvidence(evidence[i], block.Header.Height);
            if (!check.IsValid) return new BlockValidation(BlockError.InvalidEvidence, check.ToString(), i);
        }
        return BlockValidation.Ok;
    }

    private EvidenceValidation CheckEvidence(EquivocationEvidence evidence, ulong blockHeight)
    {
        var verified = evidence.Verify(Genesis.ChainId);
        if (!verified.IsValid) return verified;
        var h = evidence.Height;
        if (h >= blockHeight)
            return EvidenceValidation.Fail(EvidenceError.FutureHeight, $"evidence of height {h} in a block of height {blockHeight}");
        if (blockHeight - h > (ulong)Genesis.Risk.EvidenceMaxAgeHeights)
            return EvidenceValidation.Fail(EvidenceError.Expired, $"evidence of height {h} is older than {Genesis.Risk.EvidenceMaxAgeHeights} heights at height {blockHeight}");
        if (!WasValidatorAt(evidence.Offender, h))
            return EvidenceValidation.Fail(EvidenceError.NotAValidator, $"{evidence.Offender} was not a validator at height {h}");
        return EvidenceValidation.Ok;
    }

    /// <summary>Slashes each offence of the block's (already validated) evidence that was not slashed before, in block order.</summary>
    internal void ApplyEvidence(IReadOnlyList<EquivocationEvidence> evidence, List<StateEvent> events)
    {
        PruneSlashed();
        foreach (var e in evidence)
        {
            var offence = e.Offence;
            if (!_slashed.Add(offence)) continue;
            _slashingHash = null;
            var account = _accounts[(int)_accountByKey[offence.Validator]];
            var before = account.Stake;
            // Rounded down: the offender keeps the fraction of a micro-USDC.
            var amount = (long)((Int128)before * Genesis.Risk.SlashFractionBps / 10_000);
            account.Stake = checked(before - amount);
            InsuranceFund = checked(InsuranceFund + amount);
            _hasher.Touch(account.Id);
            NoteStakeChange(account, before);
            events.Add(new Slashed(-1, offence.Validator, offence, new Money(amount), new Money(account.Stake)));
        }
    }

    /// <summary>Records a change of set membership when a stake becomes positive or zero; it takes effect two heights on.</summary>
    internal void NoteStakeChange(Account account, long stakeBefore)
    {
        if (stakeBefore > 0 == account.Stake > 0) return;
        AddBondChange(account.Key, new BondChange(Height + 2, account.Stake > 0));
    }

    private void AddBondChange(PublicKey key, BondChange change)
    {
        if (!_bonds.TryGetValue(key, out var changes)) _bonds[key] = changes = [];
        changes.Add(change);
        // A change no query can reach any more (a later one covers the oldest height still inside the window) is dropped.
        var oldest = OldestEvidenceHeight(Height + 1);
        while (changes.Count >= 2 && changes[1].FromHeight <= oldest) changes.RemoveAt(0);
        _slashingHash = null;
    }

    /// <summary>Offences below the window can never be offered again (their evidence is expired), so they are forgotten.</summary>
    private void PruneSlashed()
    {
        var oldest = OldestEvidenceHeight(Height);
        while (_slashed.Count > 0 && _slashed.Min.Height < oldest)
        {
            _slashed.Remove(_slashed.Min);
            _slashingHash = null;
        }
    }

    /// <summary>The lowest offence height evidence in a block at <paramref name="blockHeight"/> may have.</summary>
    private ulong OldestEvidenceHeight(ulong blockHeight)
    {
        var maxAge = (ulong)Genesis.Risk.EvidenceMaxAgeHeights;
        return blockHeight > maxAge ? blockHeight - maxAge : 0;
    }

    private Hash32 ComputeSlashingHash()
    {
        var w = new CanonicalWriter(64 + _slashed.Count * 48 + _bonds.Count * 48);
        WriteSlashing(w);
        return Hash32.Tagged(SlashingTag, w.Written);
    }

    /// <summary><c>count ‖ offence* ‖ count ‖ (key ‖ count ‖ (from_height uvarint ‖ bonded bool)*)*</c>, all in order: the snapshot's and the hash's form.</summary>
    private void WriteSlashing(CanonicalWriter w)
    {
        w.WriteVarUInt((ulong)_slashed.Count);
        foreach (var offence in _slashed) offence.WriteTo(w);
        w.WriteVarUInt((ulong)_bonds.Count);
        foreach (var (key, changes) in _bonds)
        {
            w.WritePublicKey(key);
            w.WriteVarUInt((ulong)changes.Count);
            foreach (var c in changes)
            {
                w.WriteVarUInt(c.FromHeight);
                w.WriteBool(c.Bonded);
            }
        }
    }

    private void ReadSlashing(ref CanonicalReader r)
    {
        var offences = r.ReadLength("snapshot.slashed", int.MaxValue);
        for (var i = 0; i < offences; i++)
            if (!_slashed.Add(Offence.Read(ref r))) throw new DecodeException(DecodeError.NonCanonicalOrder, "snapshot: an offence is listed twice");
        var keys = r.ReadLength("snapshot.bonds", int.MaxValue);
        for (var i = 0; i < keys; i++)
        {
            var key = r.ReadPublicKey("snapshot.bond_key");
            var changes = new List<BondChange>();
            var count = r.ReadLength("snapshot.bond_changes", int.MaxValue);
            for (var c = 0; c < count; c++) changes.Add(new BondChange(r.ReadVarUInt("snapshot.bond_from"), r.ReadBool("snapshot.bond_bonded")));
            if (!_bonds.TryAdd(key, changes)) throw new DecodeException(DecodeError.NonCanonicalOrder, "snapshot: a key's bond history is listed twice");
        }
        _slashingHash = null;
    }
}
