using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Exchange.Core.Crypto;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;

namespace Exchange.Node.Oracle;

/// <summary>
/// A seeded, offline price source (see <see cref="SimulatedFeedSettings"/>). Every figure is a function of the seed,
/// the validator's key, the index and the height alone: asking twice, in any order, gives the same quotes, and a
/// validator that restarts quotes what it quoted before; only basic arithmetic and Core's deterministic exp and ln are
/// used, so the figures are the same on every machine. The shared walk is
/// <c>ln P(h) = ln P(h−1) + σ√Δt·Z(h) − σ²Δt/2</c> with Z drawn from (seed, index, h); a validator's quote is
/// <c>P(h)·(1 + spread·Z'(h))</c> with Z' drawn from (its key, index, h), rounded to a micro-dollar.
/// </summary>
public sealed class SimulatedPriceSource : IPriceSource
{
    private readonly SimulatedFeedSettings _settings;
    private readonly Walk[] _walks;
    private readonly ulong _validatorSeed;
    private readonly double _stepStdDev;
    private readonly double _stepDrift;
    private readonly Lock _lock = new();

    public SimulatedPriceSource(SimulatedFeedSettings settings, PublicKey validator)
    {
        if (settings.Check() is { } error) throw new ArgumentException($"simulated feed: {error}", nameof(settings));
        _settings = settings;
        _walks = settings.Indexes.OrderBy(i => i.Underlying, StringComparer.Ordinal).Select(i => new Walk(i, settings.Seed)).ToArray();
        _validatorSeed = SeedOf("exchange/sim-feed/validator/v1", validator.Bytes.ToArray(), settings.Seed);
        var years = settings.Tick.TotalMilliseconds / (365.0 * 86_400_000);
        _stepStdDev = settings.Volatility * DeterministicMath.Sqrt(years);
        _stepDrift = -0.5 * _stepStdDev * _stepStdDev;
    }

    public Task<IReadOnlyList<IndexQuote>> ReadAsync(ulong height, CancellationToken cancellationToken) =>
        Task.FromResult(Quotes(height));

    /// <summary>The quotes this validator reads at <paramref name="height"/>.</summary>
    public IReadOnlyList<IndexQuote> Quotes(ulong height)
    {
        lock (_lock)
        {
            var quotes = new IndexQuote[_walks.Length];
            for (var i = 0; i < _walks.Length; i++)
            {
                var walk = _walks[i];
                var shared = walk.At(height, _stepStdDev, _stepDrift);
                var noise = _settings.SpreadBps / 10_000 * Normal(_validatorSeed ^ walk.Salt, height);
                var price = Math.Max(1, Math.Round(shared * (1 + noise) * Price.Scale));
                quotes[i] = new IndexQuote(walk.Index.Underlying, new Price((long)Math.Min(price, long.MaxValue / 2)), walk.Index.ImpliedVolMicros);
            }
            return quotes;
        }
    }

    /// <summary>The walk every validator shares, in USD, at <paramref name="height"/> (height 0 is the start price).</summary>
    public double SharedPrice(string underlying, ulong height)
    {
        lock (_lock) return _walks.Single(w => w.Index.Underlying == underlying).At(height, _stepStdDev, _stepDrift);
    }

    /// <summary>One index's shared walk, remembered at the last height asked so consecutive heights cost one step each.</summary>
    private sealed class Walk(SimulatedIndex index, ulong seed)
    {
        public SimulatedIndex Index { get; } = index;
        /// <summary>Separates this index's draws from every other index's.</summary>
        public ulong Salt { get; } = SeedOf("exchange/sim-feed/index/v1", Encoding.UTF8.GetBytes(index.Underlying), 0);
        private readonly ulong _seed = SeedOf("exchange/sim-feed/walk/v1", Encoding.UTF8.GetBytes(index.Underlying), seed);
        private ulong _height;
        private double _logPrice = DeterministicMath.Ln(index.Start.Raw / (double)Price.Scale);

        public double At(ulong height, double stdDev, double drift)
        {
            if (height < _height)
            {
                _height = 0;
                _logPrice = DeterministicMath.Ln(Index.Start.Raw / (double)Price.Scale);
            }
            for (; _height < height; _height++) _logPrice += drift + stdDev * Normal(_seed, _height + 1);
            return DeterministicMath.Exp(_logPrice);
        }
    }

    /// <summary>
    /// A standard normal draw that depends only on (stream, n): Marsaglia's polar method over a SplitMix64 sequence.
    /// It needs only +, −, ×, ÷, √ and Core's deterministic ln, so every machine draws the same bits.
    /// </summary>
    private static double Normal(ulong stream, ulong n)
    {
        var x = SplitMix(stream ^ SplitMix(n));
        while (true)
        {
            var u = Uniform(x = SplitMix(x));
            var v = Uniform(x = SplitMix(x));
            var s = u * u + v * v;
            if (s > 0 && s < 1) return u * DeterministicMath.Sqrt(-2 * DeterministicMath.Ln(s) / s);
        }
    }

    /// <summary>The top 53 bits as a double in [−1, 1).</summary>
    private static double Uniform(ulong bits) => (bits >> 11) * (2.0 / 9007199254740992.0) - 1;

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private static ulong SeedOf(string domain, byte[] data, ulong seed)
    {
        var input = new byte[Encoding.UTF8.GetByteCount(domain) + data.Length + 8];
        var n = Encoding.UTF8.GetBytes(domain, input);
        data.CopyTo(input, n);
        BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(n + data.Length), seed);
        return BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(input));
    }
}
