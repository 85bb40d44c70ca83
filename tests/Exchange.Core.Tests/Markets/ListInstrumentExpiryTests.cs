using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;
using static Exchange.Core.Tests.Ledger.LedgerFixtures;

namespace Exchange.Core.Tests.Markets;

public class ListInstrumentExpiryTests
{
    private const long Dec27_2026_0800Utc = 1_798_358_400;

    private static ListInstrument List_BTC_100k_Call(long expiry) => new(
        "BTC", expiry, Price.FromWhole(100_000), OptionKind.Call, Price.Parse("0.1"), Quantity.Parse("0.1"), Quantity.Parse("0.1"));

    private static Validation Validate(long expiry) =>
        Transaction.Create(ChainA, Alice.PublicKey, 1, List_BTC_100k_Call(expiry)).Validate();

    [Fact]
    public void Listing_expiring_at_0800_UTC_should_be_accepted() =>
        Assert.Equal(Validation.Ok, Validate(Dec27_2026_0800Utc));

    [Theory]
    [InlineData(Dec27_2026_0800Utc + 3_600)]                        // 09:00 UTC
    [InlineData(Dec27_2026_0800Utc - 8 * 3_600)]                    // midnight
    [InlineData(Dec27_2026_0800Utc + 1)]
    [InlineData(0L)]
    [InlineData(-57_600L)]                                          // 08:00 UTC, but 1969
    [InlineData(28_800L)]                                           // 08:00 UTC 1 Jan 1970: named like 1 Jan 2070
    [InlineData(4_102_473_600L)]                                    // 08:00 UTC 1 Jan 2100: named like 1 Jan 2000
    [InlineData(259_200_028_800L)]                                  // 08:00 UTC, past the last DateOnly
    [InlineData(9_223_372_036_854_748_800L)]                        // the last 08:00 UTC a long can hold
    public void Listing_expiring_other_than_0800_UTC_of_a_nameable_day_should_be_refused(long expiry)
    {
        var v = Validate(expiry);

        Assert.Equal(TxError.InvalidExpiry, v.Error);
        Assert.Contains("08:00 UTC", v.Message);
    }

    [Fact]
    public void Listing_payload_should_judge_the_expiry_the_same_without_a_transaction()
    {
        Assert.True(List_BTC_100k_Call(Dec27_2026_0800Utc).Validate(Alice.PublicKey).IsValid);
        Assert.Equal(TxError.InvalidExpiry, List_BTC_100k_Call(Dec27_2026_0800Utc + 3_600).Validate(Alice.PublicKey).Error);
    }
}
