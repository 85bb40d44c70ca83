using Exchange.Core.Oracle;
using static Exchange.Core.Tests.Oracle.OracleFixtures;

namespace Exchange.Core.Tests.Oracle;

public class WeightedMedianTests
{
    private static long Median(params (long Value, long Weight)[] entries) =>
        WeightedMedian.Lower(entries.Select((e, i) => new WeightedValue(e.Value, PseudoKey(i), e.Weight)).ToArray());

    [Fact]
    public void One_entry_should_be_its_own_median() => Assert.Equal(42, Median((42, 7)));

    [Fact]
    public void Equal_weights_and_an_odd_count_should_give_the_middle_value() =>
        Assert.Equal(20, Median((30, 1), (10, 1), (20, 1)));

    [Fact]
    public void Equal_weights_and_an_even_count_should_give_the_lower_middle_value() =>
        Assert.Equal(20, Median((40, 1), (10, 1), (30, 1), (20, 1)));

    [Fact]
    public void A_whale_with_more_than_half_the_weight_should_set_the_median_alone()
    {
        Assert.Equal(500, Median((100, 10), (200, 10), (500, 21)));
        Assert.Equal(1, Median((1, 51), (900, 49)));
    }

    [Fact]
    public void Exactly_half_the_weight_on_the_low_side_should_give_the_low_value() =>
        // Weight splits 50/50 between 100 and 200: the lower median is 100.
        Assert.Equal(100, Median((200, 25), (100, 50), (300, 25)));

    [Fact]
    public void One_unit_past_half_should_move_the_median_up() =>
        Assert.Equal(200, Median((100, 49), (200, 2), (300, 49)));

    [Fact]
    public void Repeated_values_should_pool_their_weight() =>
        Assert.Equal(7, Median((7, 1), (7, 1), (9, 1), (1, 1), (7, 1)));

    [Fact]
    public void Weights_near_the_long_limit_should_not_overflow() =>
        Assert.Equal(2, Median((1, long.MaxValue / 2), (2, long.MaxValue), (3, long.MaxValue / 2)));

    [Fact]
    public void The_median_of_nothing_should_throw() =>
        Assert.Throws<ArgumentException>(() => WeightedMedian.Lower(Array.Empty<WeightedValue>()));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_non_positive_weight_should_throw(long weight) =>
        Assert.Throws<ArgumentException>(() => Median((1, 1), (2, weight)));

    [Fact]
    public void Lower_should_leave_the_callers_list_in_its_order()
    {
        WeightedValue[] entries = [new(3, PseudoKey(0), 1), new(1, PseudoKey(1), 1), new(2, PseudoKey(2), 1)];
        WeightedMedian.Lower(entries);
        Assert.Equal([3L, 1L, 2L], entries.Select(e => e.Value));
    }
}
