using Exchange.Core.Crypto;
using Exchange.Node.Crypto;

namespace Exchange.Node.Tests.Crypto;

public sealed class VerifiedTransactionsTests
{
    [Fact]
    public void Should_remember_ids_up_to_its_capacity_and_forget_the_oldest_first()
    {
        var verified = new VerifiedTransactions(capacity: 2);
        var (a, b, c) = (Hash32.Compute("a"u8), Hash32.Compute("b"u8), Hash32.Compute("c"u8));
        verified.Add(a);
        verified.Add(b);
        verified.Add(a);
        Assert.True(verified.Contains(a) && verified.Contains(b));
        verified.Add(c);
        Assert.False(verified.Contains(a));
        Assert.True(verified.Contains(b) && verified.Contains(c));
    }
}
