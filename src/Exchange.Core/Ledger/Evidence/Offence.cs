using Exchange.Core.Crypto;
using Exchange.Core.Ledger.Codec;

namespace Exchange.Core.Ledger;

/// <summary>The consensus step a validator signed twice at. The byte values are the wire encoding.</summary>
public enum OffenceStep : byte
{
    Propose = 1,
    Prevote = 2,
    Precommit = 3,
}

/// <summary>
/// One equivocation: <see cref="Validator"/> signed two different messages at one (height, round, step). However many
/// conflicting messages it signed there, and whichever two a piece of evidence carries, it is one offence and is
/// slashed once. Ordered by height, validator, round, step: the order evidence takes in a block.
/// </summary>
public readonly record struct Offence(PublicKey Validator, ulong Height, uint Round, OffenceStep Step) : IComparable<Offence>
{
    public static OffenceStep StepOf(VoteType type) => type switch
    {
        VoteType.Prevote => OffenceStep.Prevote,
        VoteType.Precommit => OffenceStep.Precommit,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown vote type"),
    };

    public int CompareTo(Offence other)
    {
        var c = Height.CompareTo(other.Height);
        if (c == 0) c = Validator.CompareTo(other.Validator);
        if (c == 0) c = Round.CompareTo(other.Round);
        return c != 0 ? c : Step.CompareTo(other.Step);
    }

    /// <summary><c>validator ‖ height uvarint ‖ round uvarint ‖ step u8</c>.</summary>
    public void WriteTo(CanonicalWriter w)
    {
        w.WritePublicKey(Validator);
        w.WriteVarUInt(Height);
        w.WriteVarUInt(Round);
        w.WriteByte((byte)Step);
    }

    public static Offence Read(ref CanonicalReader r) => new(
        r.ReadPublicKey("offence.validator"), r.ReadVarUInt("offence.height"), r.ReadVarUInt32("offence.round"),
        (OffenceStep)r.ReadEnum("offence.step", (byte)OffenceStep.Propose, (byte)OffenceStep.Precommit));

    public override string ToString() => $"{Step} of {Validator} at height {Height} round {Round}";
}
