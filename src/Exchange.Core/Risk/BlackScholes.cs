using Exchange.Core.Ledger;
using Exchange.Core.Numerics;
using static Exchange.Core.Numerics.DeterministicMath;

namespace Exchange.Core.Risk;

/// <summary>
/// Black–Scholes values of European, cash-settled options on the index: spot S and strike K in USD,
/// a continuously compounded rate r, no dividend or carry on the index, premium in USD per unit of
/// the underlying (the exchange's options are linear: USDC-margined and quoted in USD).
/// <code>
/// call = S·Φ(d1) − K·e^{−rT}·Φ(d2),  put = K·e^{−rT}·Φ(−d2) − S·Φ(−d1)
/// d1 = (ln(S/K) + rT)/(σ√T) + σ√T/2,  d2 = d1 − σ√T
/// </code>
/// Only <see cref="DeterministicMath"/> is used, so every validator gets the same bits.
/// <para>
/// Inputs: spot and strike in [<see cref="MinPrice"/>, <see cref="MaxPrice"/>], years to expiry in
/// [0, <see cref="MaxYears"/>], |rate| ≤ <see cref="MaxAbsRate"/> per year, volatility in
/// [0, <see cref="MaxVolatility"/>] per √year. Anything else, NaN and ±∞ included, throws
/// <see cref="ArgumentOutOfRangeException"/>. Inside that domain every result is finite.
/// </para>
/// <para>
/// Degenerate cases take their limits: when σ√T is below 1e−100 (T = 0, σ = 0, or both tiny) the
/// premium is the discounted intrinsic value max(S − K·e^{−rT}, 0) for a call, max(K·e^{−rT} − S, 0)
/// for a put; delta is 1, 0 or ±½ exactly at the forward; gamma is 0 (its limit at the forward is a
/// point mass, which no finite number represents). Premiums are clamped to the no-arbitrage bounds
/// [max(S − K·e^{−rT}, 0), S] and [max(K·e^{−rT} − S, 0), K·e^{−rT}], which the exact values obey
/// and the rounded ones may miss by an ulp.
/// </para>
/// </summary>
public static partial class BlackScholes
{
    /// <summary>Smallest spot or strike accepted, in USD.</summary>
    public const double MinPrice = 1e-12;

    /// <summary>Largest spot or strike accepted, in USD.</summary>
    public const double MaxPrice = 1e15;

    /// <summary>Longest time to expiry accepted, in years.</summary>
    public const double MaxYears = 100;

    /// <summary>Largest |rate| accepted, continuously compounded per year.</summary>
    public const double MaxAbsRate = 1;

    /// <summary>Largest volatility accepted, per √year (1000%); also the top of the implied-volatility search.</summary>
    public const double MaxVolatility = 10;

    /// <summary>Below this σ√T the model takes its zero-volatility limit; the premium differs from the exact value by under S·1e−100.</summary>
    internal const double NegligibleStdDev = 1e-100;

    /// <summary>Call premium in USD per unit of the underlying.</summary>
    public static double CallPrice(double spot, double strike, double years, double rate, double volatility) =>
        new Model(spot, strike, years, rate, volatility).Premium(OptionKind.Call);

    /// <summary>Put premium in USD per unit of the underlying.</summary>
    public static double PutPrice(double spot, double strike, double years, double rate, double volatility) =>
        new Model(spot, strike, years, rate, volatility).Premium(OptionKind.Put);

    /// <summary>Premium in USD per unit of the underlying.</summary>
    public static double Premium(OptionKind kind, double spot, double strike, double years, double rate, double volatility) =>
        new Model(spot, strike, years, rate, volatility).Premium(kind);

    /// <summary>∂premium/∂S: Φ(d1) for a call, −Φ(−d1) for a put. Units of underlying per option.</summary>
    public static double Delta(OptionKind kind, double spot, double strike, double years, double rate, double volatility) =>
        new Model(spot, strike, years, rate, volatility).Delta(kind);

    /// <summary>∂²premium/∂S² = φ(d1)/(S·σ√T), the same for calls and puts; per USD of spot.</summary>
    public static double Gamma(double spot, double strike, double years, double rate, double volatility) =>
        new Model(spot, strike, years, rate, volatility).Gamma();

    /// <summary>
    /// ∂premium/∂σ = S·φ(d1)·√T in USD per unit of volatility (per 100 vol points: divide by 100 for
    /// one point). The same for calls and puts.
    /// </summary>
    public static double Vega(double spot, double strike, double years, double rate, double volatility) =>
        new Model(spot, strike, years, rate, volatility).Vega();

    /// <summary>
    /// Time decay −∂premium/∂T in USD per year as calendar time passes (negative for a long option
    /// that loses value); divide by 365 for a per-day figure. Call: −S·φ(d1)·σ/(2√T) − r·K·e^{−rT}·Φ(d2);
    /// put: −S·φ(d1)·σ/(2√T) + r·K·e^{−rT}·Φ(−d2). At T = 0 the option is its payoff and theta is 0.
    /// </summary>
    public static double Theta(OptionKind kind, double spot, double strike, double years, double rate, double volatility) =>
        new Model(spot, strike, years, rate, volatility).Theta(kind);

    /// <summary>
    /// Premium per unit of the underlying, rounded down to a whole micro-USD. Use for what the
    /// exchange pays or credits, such as the value of a long position it counts toward equity.
    /// </summary>
    public static Price PremiumFloor(OptionKind kind, Price spot, Price strike, double years, double rate, double volatility) =>
        DoubleRounding.ToPriceFloor(Premium(kind, ToUsd(spot, nameof(spot)), ToUsd(strike, nameof(strike)), years, rate, volatility));

    /// <summary>
    /// Premium per unit of the underlying, rounded up to a whole micro-USD. Use for what the
    /// exchange charges or reserves, such as the mark a short position must cover in margin.
    /// Throws <see cref="OverflowException"/> only if the premium exceeds the largest
    /// <see cref="Price"/>, which needs a negative rate and a strike near that limit.
    /// </summary>
    public static Price PremiumCeil(OptionKind kind, Price spot, Price strike, double years, double rate, double volatility) =>
        DoubleRounding.ToPriceCeil(Premium(kind, ToUsd(spot, nameof(spot)), ToUsd(strike, nameof(strike)), years, rate, volatility));

    /// <summary>A positive price in USD: raw/10^6, correctly rounded. Every positive <see cref="Price"/> is inside the model's domain.</summary>
    private static double ToUsd(Price price, string name) =>
        price.IsPositive ? price.Raw / (double)Price.Scale : throw new ArgumentOutOfRangeException(name, price, "a price must be positive");

    /// <summary>The quantities every output shares, computed once from validated inputs.</summary>
    private readonly struct Model
    {
        private readonly double _spot;
        private readonly double _years;
        private readonly double _rate;
        private readonly double _volatility;
        private readonly double _sqrtYears;
        private readonly double _stdDev;
        private readonly double _discountedStrike;
        private readonly double _d1;
        private readonly double _d2;

        public Model(double spot, double strike, double years, double rate, double volatility)
        {
            RequireInputs(spot, strike, years, rate);
            if (!(volatility >= 0 && volatility <= MaxVolatility))
                throw new ArgumentOutOfRangeException(nameof(volatility), volatility, $"volatility must be in [0, {MaxVolatility}]");

            _spot = spot;
            _years = years;
            _rate = rate;
            _volatility = volatility;
            _sqrtYears = Sqrt(years);
            _stdDev = volatility * _sqrtYears;
            _discountedStrike = strike * Exp(-rate * years);

            // ln(S / (K·e^{−rT})): how far the spot is above the discounted strike.
            var moneyness = Ln(spot / strike) + rate * years;
            if (_stdDev < NegligibleStdDev)
            {
                _d1 = _d2 = moneyness > 0 ? double.PositiveInfinity : moneyness < 0 ? double.NegativeInfinity : 0.0;
            }
            else
            {
                _d1 = moneyness / _stdDev + 0.5 * _stdDev;
                _d2 = _d1 - _stdDev;
            }
        }

        public double Premium(OptionKind kind) => kind switch
        {
            OptionKind.Call => Clamp(_spot * NormalCdf(_d1) - _discountedStrike * NormalCdf(_d2),
                Math.Max(_spot - _discountedStrike, 0.0), _spot),
            OptionKind.Put => Clamp(_discountedStrike * NormalCdf(-_d2) - _spot * NormalCdf(-_d1),
                Math.Max(_discountedStrike - _spot, 0.0), _discountedStrike),
            _ => throw UnknownKind(kind),
        };

        public double Delta(OptionKind kind) => kind switch
        {
            OptionKind.Call => NormalCdf(_d1),
            OptionKind.Put => -NormalCdf(-_d1),
            _ => throw UnknownKind(kind),
        };

        public double Gamma() => _stdDev < NegligibleStdDev ? 0.0 : NormalPdf(_d1) / _spot / _stdDev;

        public double Vega() => _spot * NormalPdf(_d1) * _sqrtYears;

        public double Theta(OptionKind kind)
        {
            if (_years == 0) return 0.0;
            var decay = -_spot * NormalPdf(_d1) * _volatility / (2.0 * _sqrtYears);
            return kind switch
            {
                OptionKind.Call => decay - _rate * _discountedStrike * NormalCdf(_d2),
                OptionKind.Put => decay + _rate * _discountedStrike * NormalCdf(-_d2),
                _ => throw UnknownKind(kind),
            };
        }

        private static double Clamp(double value, double lower, double upper) => Math.Min(Math.Max(value, lower), upper);
    }

    /// <summary>Checks spot, strike, years and rate against the model's domain.</summary>
    private static void RequireInputs(double spot, double strike, double years, double rate)
    {
        if (!(spot >= MinPrice && spot <= MaxPrice))
            throw new ArgumentOutOfRangeException(nameof(spot), spot, $"spot must be in [{MinPrice}, {MaxPrice}]");
        if (!(strike >= MinPrice && strike <= MaxPrice))
            throw new ArgumentOutOfRangeException(nameof(strike), strike, $"strike must be in [{MinPrice}, {MaxPrice}]");
        if (!(years >= 0 && years <= MaxYears))
            throw new ArgumentOutOfRangeException(nameof(years), years, $"years to expiry must be in [0, {MaxYears}]");
        if (!(rate >= -MaxAbsRate && rate <= MaxAbsRate))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, $"rate must be in [{-MaxAbsRate}, {MaxAbsRate}]");
    }

    private static ArgumentOutOfRangeException UnknownKind(OptionKind kind) =>
        new(nameof(kind), kind, "an option is a call or a put");
}
