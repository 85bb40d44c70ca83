using Exchange.Node.Devnet;

namespace Exchange.Node.Tests.Devnet;

public class CoreSharesTests
{
    [Fact]
    public void More_nodes_than_cores_should_put_each_node_on_one_core_round_robin()
    {
        var shares = CoreShares.Assign(5, [0, 1], CorePinning.Auto);
        Assert.Equal([[0], [1], [0], [1], [0]], shares.Select(s => s!.ToArray()));
    }

    [Fact]
    public void The_cores_this_process_may_use_should_be_the_ones_shared_out()
    {
        // A devnet started under taskset -c 2,3 spreads its nodes over those two, not over cores 0 and 1.
        var shares = CoreShares.Assign(3, [2, 3], CorePinning.Auto);
        Assert.Equal([[2], [3], [2]], shares.Select(s => s!.ToArray()));
    }

    [Theory]
    [InlineData(4, 4)]
    [InlineData(2, 8)]
    [InlineData(0, 2)]
    public void As_many_cores_as_nodes_or_more_should_leave_the_nodes_to_the_scheduler(int nodes, int cores)
    {
        var shares = CoreShares.Assign(nodes, Enumerable.Range(0, cores).ToArray(), CorePinning.Auto);
        Assert.Equal(nodes, shares.Length);
        Assert.All(shares, Assert.Null);
    }

    [Fact]
    public void Pinning_off_or_no_known_cores_should_pin_nothing()
    {
        Assert.All(CoreShares.Assign(5, [0, 1], CorePinning.Off), Assert.Null);
        Assert.All(CoreShares.Assign(5, [], CorePinning.Auto), Assert.Null);
    }

    [Fact]
    public void A_negative_node_count_should_be_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CoreShares.Assign(-1, [0], CorePinning.Auto));
    }

    [Fact]
    public void A_core_list_should_be_written_as_taskset_reads_it()
    {
        Assert.Equal("0,2,5", CoreShares.Format([0, 2, 5]));
    }

    [Fact]
    public void This_process_should_be_allowed_the_cores_the_runtime_counts()
    {
        if (!OperatingSystem.IsLinux()) return;
        // The test host runs unpinned on every core the machine gives it.
        Assert.Equal(Environment.ProcessorCount, CoreShares.Allowed().Count);
    }
}
