using System.Text.Json;
using System.Text.Json.Serialization;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Markets;
using Exchange.Core.Numerics;

namespace Exchange.Core.State;

/// <summary>Fees on each fill: a rate on the index value of the contracts, capped at a share of the premium (Deribit's option fee).</summary>
public sealed record FeeSchedule(int MakerBps, int TakerBps, int PremiumCapBps, int InsuranceShareBps)
{
    /// <summary>Fee for a fill, rounded up: min(rate × index × size, cap × premium).</summary>
    public Money FeeFor(bool maker, Price index, Price price, Quantity size)
    {
        var rate = maker ? MakerBps : TakerBps;
        var onIndex = FixedPoint.MulDivCeil(Money.NotionalCeil(index, size).Raw, rate, 10_000);
        var onPremium = FixedPoint.MulDivCeil(Money.NotionalCeil(price, size).Raw, PremiumCapBps, 10_000);
        return new Money(Math.Min(onIndex, onPremium));
    }

    /// <summary>The insurance fund's part of a fee, rounded down; the rest goes to the validators' fee pool.</summary>
    public Money InsuranceShare(Money fee) => fee.MulDivFloor(InsuranceShareBps, 10_000);
}

/// <summary>
/// Risk parameters from genesis (DESIGN.md section 3), with the validators' penalty for equivocation:
/// <see cref="SlashFractionBps"/> of the offender's bonded stake (5% unless genesis says otherwise), for evidence
/// no older than <see cref="EvidenceMaxAgeHeights"/> heights.
/// </summary>
public sealed record RiskParameters(
    long RiskFreeRateMicros,
    int MarkBandBps,
    int LiquidationPenaltyBps,
    int LiquidationBandBps,
    long OracleMaxAgeMs,
    int PortfolioMovePercent = 16,
    int PortfolioVolShockBps = 3_000,
    int SlashFractionBps = RiskParameters.DefaultSlashFractionBps,
    long EvidenceMaxAgeHeights = RiskParameters.DefaultEvidenceMaxAgeHeights)
{
    public const int DefaultSlashFractionBps = 500;
    public const long DefaultEvidenceMaxAgeHeights = 1_000;
}

/// <summary>The starting index price and implied volatility of an underlying.</summary>
public sealed record InitialIndex(string Underlying, Price Price, long ImpliedVolMicros);

/// <summary>
/// Everything the chain starts from: chain id and time, the authority that lists instruments, the
/// bridge that credits deposits, validators with their stake, funded accounts, listings, fees and
/// risk parameters. Read from a JSON file whose amounts are decimal strings.
/// </summary>
public sealed record Genesis(
    string ChainId,
    long GenesisTimeUnixMs,
    PublicKey Authority,
    PublicKey Bridge,
    IReadOnlyList<(PublicKey Key, Money Stake)> Validators,
    IReadOnlyList<(PublicKey Key, Money Amount)> Balances,
    IReadOnlyList<ListingRule> Listings,
    IReadOnlyList<InitialIndex> Indexes,
    FeeSchedule Fees,
    RiskParameters Risk)
{
    public DateOnly GenesisDay => DateOnly.FromDayNumber(new DateOnly(1970, 1, 1).DayNumber + (int)(GenesisTimeUnixMs / 86_400_000));

    /// <summary>Null when the genesis is usable, else the first problem found.</summary>
    public string? Check()
    {
        if (!Names.IsValidChainId(ChainId)) return "chain_id must be 1 to 32 lower-case letters, digits or '-'";
        if (GenesisTimeUnixMs <= 0) return "genesis_time_ms must be positive";
        if (Validators.Count == 0) return "at least one validator is needed";
        if (Validators.Any(v => !v.Stake.IsPositive)) return "every validator needs positive stake";
        if (Validators.Select(v => v.Key).Distinct().Count() != Validators.Count) return "a validator is listed twice";
        if (Balances.Any(b => !b.Amount.IsPositive)) return "initial balances must be positive";
        if (Balances.Select(b => b.Key).Distinct().Count() != Balances.Count) return "an account is funded twice";
        foreach (var rule in Listings)
            if (rule.Check() is { } e) return $"listing {rule.Underlying}: {e}";
        foreach (var underlying in Listings.Select(l => l.Underlying).Distinct())
            if (Indexes.All(i => i.Underlying != underlying)) return $"no initial index price for {underlying}";
        if (Indexes.Any(i => !i.Price.IsPositive || i.ImpliedVolMicros <= 0)) return "initial index prices and volatilities must be positive";
        if (Fees.MakerBps < 0 || Fees.TakerBps < 0 || Fees.PremiumCapBps < 0 || Fees.InsuranceShareBps is < 0 or > 10_000) return "fees must be non-negative, insurance share at most 100%";
        if (Risk.MarkBandBps is <= 0 or > 10_000 || Risk.LiquidationBandBps is <= 0 or > 10_000 || Risk.LiquidationPenaltyBps is < 0 or > 10_000)
            return "risk bands must be 1 to 10,000 basis points";
        if (Risk.OracleMaxAgeMs <= 0) return "oracle max age must be positive";
        if (Risk.SlashFractionBps is < 0 or > 10_000) return "slash_fraction_bps must be 0 to 10,000 basis points";
        if (Risk.EvidenceMaxAgeHeights < 1) return "evidence_max_age_heights must be at least 1";
        return null;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    public static Genesis FromJson(string json)
    {
        GenesisFile? file;
        try
        {
            file = JsonSerializer.Deserialize<GenesisFile>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new FormatException($"genesis is not valid: {e.Message}");
        }
        if (file is null) throw new FormatException("genesis is empty");
        var genesis = file.ToGenesis();
        return genesis.Check() is { } error ? throw new FormatException($"genesis is not valid: {error}") : genesis;
    }

    public string ToJson() => JsonSerializer.Serialize(GenesisFile.From(this), JsonOptions);

    private sealed record GenesisFile(
        [property: JsonPropertyName("chain_id"), JsonRequired] string ChainId,
        [property: JsonPropertyName("genesis_time_ms"), JsonRequired] long GenesisTimeMs,
        [property: JsonPropertyName("authority"), JsonRequired] string Authority,
        [property: JsonPropertyName("bridge"), JsonRequired] string Bridge,
        [property: JsonPropertyName("validators"), JsonRequired] KeyAmount[] Validators,
        [property: JsonPropertyName("balances"), JsonRequired] KeyAmount[] Balances,
        [property: JsonPropertyName("listings"), JsonRequired] Listing[] Listings,
        [property: JsonPropertyName("indexes"), JsonRequired] Index[] Indexes,
        [property: JsonPropertyName("fees"), JsonRequired] FeeSchedule Fees,
        [property: JsonPropertyName("risk"), JsonRequired] RiskParameters Risk)
    {
        public Genesis ToGenesis() => new(
            ChainId, GenesisTimeMs, Key(Authority, "authority"), Key(Bridge, "bridge"),
            [.. Validators.Select(v => (Key(v.Key, "validator"), Money(v.Amount, "validator stake")))],
            [.. Balances.Select(b => (Key(b.Key, "balance"), Money(b.Amount, "balance")))],
            [.. Listings.Select(l => l.ToRule())],
            [.. Indexes.Select(i => new InitialIndex(i.Underlying, PriceOf(i.Price, "index price"), Micros(i.ImpliedVol, "implied vol")))],
            Fees, Risk);

        public static GenesisFile From(Genesis g) => new(
            g.ChainId, g.GenesisTimeUnixMs, g.Authority.ToString(), g.Bridge.ToString(),
            [.. g.Validators.Select(v => new KeyAmount(v.Key.ToString(), v.Stake.ToString()))],
            [.. g.Balances.Select(b => new KeyAmount(b.Key.ToString(), b.Amount.ToString()))],
            [.. g.Listings.Select(Listing.From)],
            [.. g.Indexes.Select(i => new Index(i.Underlying, i.Price.ToString(), FixedPoint.Format(i.ImpliedVolMicros, 6)))],
            g.Fees, g.Risk);
    }

    private sealed record KeyAmount([property: JsonPropertyName("key")] string Key, [property: JsonPropertyName("amount")] string Amount);

    private sealed record Index(
        [property: JsonPropertyName("underlying")] string Underlying,
        [property: JsonPropertyName("price")] string Price,
        [property: JsonPropertyName("implied_vol")] string ImpliedVol);

    private sealed record Listing(
        [property: JsonPropertyName("underlying")] string Underlying,
        [property: JsonPropertyName("min_strike")] string MinStrike,
        [property: JsonPropertyName("max_strike")] string MaxStrike,
        [property: JsonPropertyName("strike_step")] string StrikeStep,
        [property: JsonPropertyName("dailies")] int Dailies,
        [property: JsonPropertyName("weeklies")] int Weeklies,
        [property: JsonPropertyName("monthlies")] int Monthlies,
        [property: JsonPropertyName("tick_size")] string TickSize,
        [property: JsonPropertyName("lot_size")] string LotSize,
        [property: JsonPropertyName("min_size")] string MinSize,
        [property: JsonPropertyName("price_band_bps")] int PriceBandBps,
        [property: JsonPropertyName("max_open_orders")] int MaxOpenOrders)
    {
        public ListingRule ToRule() => new(Underlying, PriceOf(MinStrike, "min_strike"), PriceOf(MaxStrike, "max_strike"), PriceOf(StrikeStep, "strike_step"),
            Dailies, Weeklies, Monthlies,
            new InstrumentSpec(PriceOf(TickSize, "tick_size"), QuantityOf(LotSize, "lot_size"), QuantityOf(MinSize, "min_size"), PriceBandBps, MaxOpenOrders));

        public static Listing From(ListingRule r) => new(r.Underlying, r.MinStrike.ToString(), r.MaxStrike.ToString(), r.StrikeStep.ToString(),
            r.Dailies, r.Weeklies, r.Monthlies, r.Spec.TickSize.ToString(), r.Spec.LotSize.ToString(), r.Spec.MinSize.ToString(),
            r.Spec.PriceBandBps, r.Spec.MaxOpenOrdersPerAccount);
    }

    private static PublicKey Key(string hex, string field) =>
        PublicKey.TryParseHex(hex, out var k) ? k : throw new FormatException($"genesis {field} key '{hex}' is not 64 hex digits");

    private static Money Money(string s, string field) =>
        Numerics.Money.TryParse(s, out var m, out var e) ? m : throw new FormatException($"genesis {field} '{s}': {e}");

    private static Price PriceOf(string s, string field) =>
        Price.TryParse(s, out var p, out var e) ? p : throw new FormatException($"genesis {field} '{s}': {e}");

    private static Quantity QuantityOf(string s, string field) =>
        Quantity.TryParse(s, out var q, out var e) ? q : throw new FormatException($"genesis {field} '{s}': {e}");

    private static long Micros(string s, string field) =>
        FixedPoint.TryParse(s, 6, out var raw, out var e) ? raw : throw new FormatException($"genesis {field} '{s}': {e}");
}
