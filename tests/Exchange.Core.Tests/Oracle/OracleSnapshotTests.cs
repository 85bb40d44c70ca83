using Exchange.Core.Ledger.Codec;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;
using static Exchange.Core.Tests.Oracle.OracleFixtures;

namespace Exchange.Core.Tests.Oracle;

/// <summary>A snapshot restores an equal state with an equal hash, and the reader refuses any bytes the writer cannot produce.</summary>
public class OracleSnapshotTests
{
    private const long T = 1_767_000_000_000;   // on the grid

    /// <summary>One underlying's fields as the snapshot lays them out; samples are (time, price, sum above bit 63, low 63 bits).</summary>
    private sealed record SeriesSpec(string Name, long Vol, ulong UpdateHeight, long FirstUpdate, bool Truncated, params (long T, long P, ulong Hi, ulong Lo)[] Samples);

    /// <summary>Writes the snapshot layout field by field, so a test can produce what the state never would.</summary>
    private static byte[] Snapshot(OracleParameters p, ulong lastHeight, long lastTime, params SeriesSpec[] series)
    {
        var w = new CanonicalWriter();
        w.WriteByte(OracleState.SnapshotVersion);
        w.WriteVarInt(p.MaxAgeMs);
        w.WriteVarInt(p.SettlementWindowMs);
        w.WriteVarInt(p.SampleGridMs);
        w.WriteVarUInt((ulong)p.MaxSamples);
        w.WriteVarUInt((ulong)p.MaxUnderlyings);
        w.WriteVarUInt((ulong)p.QuorumNumerator);
        w.WriteVarUInt((ulong)p.QuorumDenominator);
        w.WriteVarUInt(lastHeight);
        w.WriteVarInt(lastTime);
        w.WriteVarUInt((ulong)series.Length);
        foreach (var s in series)
        {
            w.WriteText(s.Name, 8);
            w.WriteVarInt(s.Vol);
            w.WriteVarUInt(s.UpdateHeight);
            w.WriteVarInt(s.FirstUpdate);
            w.WriteBool(s.Truncated);
            w.WriteVarUInt((ulong)s.Samples.Length);
            foreach (var x in s.Samples)
            {
                w.WriteVarInt(x.T);
                w.WriteVarInt(x.P);
                w.WriteVarUInt(x.Hi);
                w.WriteVarUInt(x.Lo);
            }
        }
        return w.ToArray();
    }

    /// <summary>BTC 100 at T+400 ms (sum to the cell's end: 100·600 ms) then 200 at T+1,500 ms (100·500 + 200·500 ms), in µUSD·ms.</summary>
    private static SeriesSpec Btc_100_then_200(string name = "BTC") =>
        new(name, 550_000, 3, T + 400, false, (T + 400, 100_000_000, 0, 60_000_000_000), (T + 1_500, 200_000_000, 0, 150_000_000_000));

    private static byte[] ValidSnapshot() => Snapshot(Small(), 3, T + 1_500, Btc_100_then_200());

    private static OracleState Fed_Btc_100_then_200()
    {
        var feeder = new SoleFeeder(new OracleState(Small()));
        feeder.Feed(T + 400, 100);
        feeder.Feed(T + 1_500, 200);
        return feeder.State;
    }

    private static DecodeError ErrorOf(byte[] bytes)
    {
        Assert.False(OracleState.TryDecode(bytes, out var state, out var error));
        Assert.Null(state);
        return error!.Error;
    }

    [Fact]
    public void The_layout_written_here_should_be_the_states_own_encoding() =>
        Assert.Equal(ValidSnapshot(), Fed_Btc_100_then_200().Encode());

    [Fact]
    public void An_empty_state_should_round_trip()
    {
        var empty = new OracleState(OracleParameters.Default);
        var restored = OracleState.Decode(empty.Encode());
        Assert.Equal(empty.Encode(), restored.Encode());
        Assert.Equal(empty.Hash(), restored.Hash());
        Assert.Equal(OracleParameters.Default, restored.Parameters);
    }

    [Fact]
    public void A_state_with_dropped_samples_should_round_trip_with_equal_hash_and_answers()
    {
        var scenario = new OracleScenario(seed: 7, blockCount: 300);
        var state = scenario.Run(Small(maxSamples: 64));
        var restored = OracleState.Decode(state.Encode());

        Assert.Equal(state.Encode(), restored.Encode());
        Assert.Equal(state.Hash(), restored.Hash());
        Assert.Equal(state.Underlyings, restored.Underlyings);
        Assert.Equal((state.LastHeight, state.LastBlockTimeMs), (restored.LastHeight, restored.LastBlockTimeMs));
        foreach (var u in state.Underlyings)
        {
            Assert.Equal(state.TryGetLatest(u, out var a), restored.TryGetLatest(u, out var b));
            Assert.Equal(a, b);
            for (var expiry = state.LastBlockTimeMs / 1_000 * 1_000 - 200_000; expiry <= state.LastBlockTimeMs; expiry += 1_000)
                Assert.Equal((state.SettlementPrice(u, expiry, out var p), p), (restored.SettlementPrice(u, expiry, out var q), q));
        }
    }

    [Fact]
    public void States_differing_by_one_micro_dollar_should_hash_differently()
    {
        var a = new SoleFeeder(new OracleState(Small()));
        var b = new SoleFeeder(new OracleState(Small()));
        a.Feed(T, new Price(100_000_000));
        b.Feed(T, new Price(100_000_001));
        Assert.NotEqual(a.State.Hash(), b.State.Hash());
    }

    [Fact]
    public void States_under_different_rules_should_hash_differently() =>
        Assert.NotEqual(new OracleState(OracleParameters.Default).Hash(), new OracleState(Small()).Hash());

    [Fact]
    public void Trailing_bytes_should_be_refused() => Assert.Equal(DecodeError.TrailingBytes, ErrorOf([.. ValidSnapshot(), 0]));

    [Fact]
    public void Every_truncation_should_be_refused()
    {
        var valid = ValidSnapshot();
        for (var n = 0; n < valid.Length; n++)
            Assert.Equal(DecodeError.Truncated, ErrorOf(valid[..n]));
    }

    [Fact]
    public void An_unknown_version_should_be_refused()
    {
        var b = ValidSnapshot();
        b[0] = 9;
        Assert.Equal(DecodeError.UnknownVersion, ErrorOf(b));
    }

    [Fact]
    public void Unusable_parameters_should_be_refused() =>
        Assert.Equal(DecodeError.ValueOutOfRange,
            ErrorOf(Snapshot(Small() with { QuorumNumerator = 1, QuorumDenominator = 4 }, 3, T + 1_500, Btc_100_then_200())));

    [Fact]
    public void Unsorted_underlyings_should_be_refused() =>
        Assert.Equal(DecodeError.NonCanonicalOrder, ErrorOf(Snapshot(Small(), 3, T + 1_500, Btc_100_then_200("ETH"), Btc_100_then_200("BTC"))));

    [Fact]
    public void A_repeated_underlying_should_be_refused() =>
        Assert.Equal(DecodeError.NonCanonicalOrder, ErrorOf(Snapshot(Small(), 3, T + 1_500, Btc_100_then_200(), Btc_100_then_200())));

    [Fact]
    public void An_invalid_underlying_symbol_should_be_refused() =>
        Assert.Equal(DecodeError.InvalidText, ErrorOf(Snapshot(Small(), 3, T + 1_500, Btc_100_then_200("btc"))));

    [Fact]
    public void A_non_positive_sample_price_should_be_refused()
    {
        var s = Btc_100_then_200() with { Samples = [(T + 400, 0, 0, 0)] };
        Assert.Equal(DecodeError.ValueOutOfRange, ErrorOf(Snapshot(Small(), 3, T + 1_500, s)));
    }

    [Fact]
    public void Two_samples_in_one_grid_cell_should_be_refused()
    {
        var s = Btc_100_then_200() with { Samples = [(T + 400, 100_000_000, 0, 1), (T + 900, 100_000_000, 0, 1)] };
        Assert.Equal(DecodeError.NonCanonicalOrder, ErrorOf(Snapshot(Small(), 3, T + 1_500, s)));
    }

    [Fact]
    public void A_sample_after_the_last_block_should_be_refused() =>
        Assert.Equal(DecodeError.ValueOutOfRange, ErrorOf(Snapshot(Small(), 3, T + 1_499, Btc_100_then_200())));

    [Fact]
    public void A_series_without_samples_should_be_refused() =>
        Assert.Equal(DecodeError.LengthOutOfRange, ErrorOf(Snapshot(Small(), 3, T + 1_500, Btc_100_then_200() with { Samples = [] })));

    [Fact]
    public void A_truncated_series_below_the_sample_limit_should_be_refused() =>
        Assert.Equal(DecodeError.ValueOutOfRange, ErrorOf(Snapshot(Small(), 3, T + 1_500, Btc_100_then_200() with { Truncated = true, FirstUpdate = T - 5_000 })));

    [Fact]
    public void A_first_update_outside_the_first_samples_cell_should_be_refused() =>
        Assert.Equal(DecodeError.ValueOutOfRange, ErrorOf(Snapshot(Small(), 3, T + 1_500, Btc_100_then_200() with { FirstUpdate = T - 1 })));

    [Fact]
    public void An_update_height_above_the_last_block_should_be_refused() =>
        Assert.Equal(DecodeError.ValueOutOfRange, ErrorOf(Snapshot(Small(), 3, T + 1_500, Btc_100_then_200() with { UpdateHeight = 4 })));

    [Fact]
    public void Prices_before_the_first_block_should_be_refused() =>
        Assert.Equal(DecodeError.ValueOutOfRange, ErrorOf(Snapshot(Small(), 0, 0, Btc_100_then_200())));

    [Fact]
    public void A_sample_sum_split_out_of_canonical_form_should_be_refused()
    {
        // The low part holds 63 bits; a 64-bit low part would give the same sum a second spelling.
        var s = Btc_100_then_200() with { Samples = [(T + 400, 100_000_000, 0, 1UL << 63)] };
        Assert.Equal(DecodeError.VarintOverflow, ErrorOf(Snapshot(Small(), 3, T + 1_500, s)));
    }
}
