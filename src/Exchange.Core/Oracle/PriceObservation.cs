using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;
using Exchange.Core.Numerics;

namespace Exchange.Core.Oracle;

/// <summary>
/// One validator's signed reading of index prices, carried as the vote extension of its precommit at
/// <see cref="Height"/> and collected into the block at <c>Height + 1</c>. <see cref="TimeUnixMs"/> is when
/// the validator read its source: it is informational and never used as a clock; the oracle stamps each
/// update with the block time instead. Quotes are sorted by underlying, so one reading has one encoding.
/// </summary>
public sealed record PriceObservation(PublicKey Validator, ulong Height, long TimeUnixMs, IReadOnlyList<IndexQuote> Quotes, Signature Signature)
{
    public const byte CurrentVersion = 1;

    /// <summary>Quotes per observation: enough for every index the exchange lists, small enough to bound a block.</summary>
    public const int MaxQuotes = 16;

    /// <summary>A full observation of <see cref="MaxQuotes"/> eight-letter symbols with ten-byte varints is under 600 bytes.</summary>
    public const int MaxEncodedLength = 640;

    /// <summary>Domain tag of the signing hash: an observation signature can never stand for a vote or a transaction.</summary>
    public const string SigningTag = "exchange/oracle/v1";

    /// <summary>An unsigned observation with its quotes put in canonical (ordinal) order, ready for <see cref="Sign"/>.</summary>
    public static PriceObservation Create(PublicKey validator, ulong height, long timeUnixMs, IEnumerable<IndexQuote> quotes) =>
        new(validator, height, timeUnixMs, quotes.OrderBy(q => q.Underlying, StringComparer.Ordinal).ToArray(), Signature.Empty);

    /// <summary>Stateless checks: a height a precommit can have, a time after 1970, 1 to 16 quotes, valid symbols in strictly increasing order, positive prices and vols in range.</summary>
    public ObservationValidation Validate()
    {
        if (Height == 0) return ObservationValidation.Fail(ObservationError.InvalidHeight, "height must be at least 1");
        if (TimeUnixMs < 0) return ObservationValidation.Fail(ObservationError.NegativeTime, $"reading time {TimeUnixMs} is before 1970");
        if (Quotes is null || Quotes.Count == 0) return ObservationValidation.Fail(ObservationError.NoQuotes, "an observation carries at least one quote");
        if (Quotes.Count > MaxQuotes)
            return ObservationValidation.Fail(ObservationError.TooManyQuotes, $"{Quotes.Count} quotes exceed the limit of {MaxQuotes}");
        for (var i = 0; i < Quotes.Count; i++)
        {
            var q = Quotes[i];
            if (q.Underlying is null || !Names.IsValidUnderlying(q.Underlying))
                return ObservationValidation.Fail(ObservationError.InvalidUnderlying, $"'{q.Underlying}' is not 2 to 8 upper-case letters");
            if (i > 0 && string.CompareOrdinal(Quotes[i - 1].Underlying, q.Underlying) >= 0)
                return ObservationValidation.Fail(ObservationError.UnsortedUnderlyings,
                    $"'{q.Underlying}' follows '{Quotes[i - 1].Underlying}': quotes must be strictly increasing by underlying");
            if (!q.Price.IsPositive)
                return ObservationValidation.Fail(ObservationError.NonPositivePrice, $"{q.Underlying}: price must be positive, got {q.Price}");
            if (q.ImpliedVol <= 0 || q.ImpliedVol > IndexQuote.MaxImpliedVol)
                return ObservationValidation.Fail(ObservationError.ImpliedVolOutOfRange,
                    $"{q.Underlying}: implied vol {q.ImpliedVol} is outside 1..{IndexQuote.MaxImpliedVol} millionths");
        }
        return ObservationValidation.Ok;
    }

    /// <summary>
    /// The 32-byte message the validator signs: a tagged SHA-256 over the chain id (length-prefixed) and the
    /// encoding without the signature. The chain id is not carried in the observation, so a signature made on
    /// one chain verifies on no other; the height is, so an old observation cannot be replayed at a new height.
    /// </summary>
    public Hash32 SigningHash(string chainId)
    {
        var w = new CanonicalWriter(256);
        w.WriteText(chainId, Names.MaxChainIdLength);
        WriteUnsigned(w);
        return Hash32.Tagged(SigningTag, w.Written);
    }

    public PriceObservation Sign(string chainId, KeyPair key, ReadOnlySpan<byte> auxRand)
    {
        if (key.PublicKey != Validator) throw new ArgumentException("the key does not belong to the observing validator", nameof(key));
        return this with { Signature = key.Sign(SigningHash(chainId), auxRand) };
    }

    /// <summary>Checks the signature for <paramref name="chainId"/>. The oracle state does not call this: block validation does, before <see cref="OracleState.Apply"/>.</summary>
    /// <param name="verify">How to check it; <see cref="Schnorr.Verify(in PublicKey, in Hash32, in Signature)"/> when null.</param>
    public SignatureCheck Verify(string chainId, SignatureVerifier? verify = null) => (verify ?? Schnorr.Verify)(Validator, SigningHash(chainId), Signature);

    public byte[] Encode()
    {
        var w = new CanonicalWriter(256);
        WriteTo(w);
        return w.ToArray();
    }

    public void WriteTo(CanonicalWriter w)
    {
        WriteUnsigned(w);
        w.WriteSignature(Signature);
    }

    private void WriteUnsigned(CanonicalWriter w)
    {
        w.WriteByte(CurrentVersion);
        w.WritePublicKey(Validator);
        w.WriteVarUInt(Height);
        w.WriteVarInt(TimeUnixMs);
        w.WriteVarUInt((ulong)Quotes.Count);
        foreach (var q in Quotes)
        {
            w.WriteText(q.Underlying, Names.MaxUnderlyingLength);
            w.WriteVarInt(q.Price.Raw);
            w.WriteVarInt(q.ImpliedVol);
        }
    }

    public static bool TryDecode(ReadOnlySpan<byte> bytes, out PriceObservation? observation, out DecodeException? error) =>
        Decoding.TryDecode(Decode, bytes, out observation, out error);

    /// <summary>Decodes exactly one observation or throws <see cref="DecodeException"/>; whatever <see cref="Validate"/> refuses is refused here too.</summary>
    public static PriceObservation Decode(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxEncodedLength, "observation", Read);

    public static PriceObservation Read(ref CanonicalReader r)
    {
        var version = r.ReadByte("observation.version");
        if (version != CurrentVersion) throw new DecodeException(DecodeError.UnknownVersion, $"observation version {version}");
        var validator = r.ReadPublicKey("observation.validator");
        var height = r.ReadVarUInt("observation.height");
        var time = r.ReadVarInt("observation.time");
        var count = r.ReadLength("observation.quotes", MaxQuotes);
        var quotes = new IndexQuote[count];
        for (var i = 0; i < count; i++)
            quotes[i] = new IndexQuote(
                r.ReadText("observation.underlying", Names.MaxUnderlyingLength),
                new Price(r.ReadVarInt("observation.price")),
                r.ReadVarInt("observation.implied_vol"));
        var signature = r.ReadSignature("observation.signature");
        var observation = new PriceObservation(validator, height, time, quotes, signature);
        var check = observation.Validate();
        if (!check.IsValid) throw new DecodeException(DecodeErrorOf(check.Error), check.Message);
        return observation;
    }

    /// <summary>How each stateless rule shows up to a decoder: an ordering rule as non-canonical order, a symbol as bad text, a number as out of range.</summary>
    private static DecodeError DecodeErrorOf(ObservationError error) => error switch
    {
        ObservationError.UnsortedUnderlyings => DecodeError.NonCanonicalOrder,
        ObservationError.InvalidUnderlying => DecodeError.InvalidText,
        ObservationError.NoQuotes or ObservationError.TooManyQuotes => DecodeError.LengthOutOfRange,
        ObservationError.InvalidHeight or ObservationError.NegativeTime or ObservationError.NonPositivePrice
            or ObservationError.ImpliedVolOutOfRange => DecodeError.ValueOutOfRange,
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, "not a decoding failure"),
    };

    public bool Equals(PriceObservation? other) =>
        other is not null && Validator == other.Validator && Height == other.Height && TimeUnixMs == other.TimeUnixMs &&
        Signature == other.Signature && Quotes.SequenceEqual(other.Quotes);

    public override int GetHashCode() => Validator.GetHashCode();
}
