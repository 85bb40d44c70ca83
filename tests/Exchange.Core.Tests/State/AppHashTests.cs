using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Markets;
using Exchange.Core.Numerics;
using Exchange.Core.State;
using static Exchange.Core.Tests.State.StateFixture;

namespace Exchange.Core.Tests.State;

/// <summary>
/// The app hash chains per-block deltas and commits a full state root every checkpoint: it must move
/// with any changed account or order, agree across machines, and a snapshot must reproduce its root.
/// </summary>
public class AppHashTests
{
    private static PlaceOrder Buy(string price, string size = "1") => new(Call, Side.Buy, OrderType.Limit, TimeInForce.GoodTilCancelled,
        OrderFlags.None, Price.Parse(price), Quantity.Parse(size), 0, SelfTradePrevention.CancelIncoming);

    [Fact]
    public void The_same_block_on_the_same_state_should_give_the_same_hash()
    {
        var a = new StateFixture();
        var b = new StateFixture();
        Assert.Equal(a.State.AppHash, b.State.AppHash);
        Assert.Equal(a.Block(a.Tx(Alice, Buy("100"))).AppHash, b.Block(b.Tx(Alice, Buy("100"))).AppHash);
    }

    [Fact]
    public void A_different_balance_should_give_a_different_hash()
    {
        var a = new StateFixture();
        var b = new StateFixture();
        var ha = a.Block(a.Tx(Alice, new Transfer(Bob.PublicKey, Money.FromWhole(1)))).AppHash;
        var hb = b.Block(b.Tx(Alice, new Transfer(Bob.PublicKey, Money.FromWhole(2)))).AppHash;
        Assert.NotEqual(ha, hb);
    }

    [Fact]
    public void A_different_resting_order_should_give_a_different_hash()
    {
        var a = new StateFixture();
        var b = new StateFixture();
        Assert.NotEqual(a.Block(a.Tx(Alice, Buy("100"))).AppHash, b.Block(b.Tx(Alice, Buy("100.1"))).AppHash);
        Assert.NotEqual(a.Block(a.Tx(Alice, Buy("100", "1"))).AppHash, b.Block(b.Tx(Alice, Buy("100", "2"))).AppHash);
    }

    [Fact]
    public void A_divergence_should_stay_visible_in_every_later_hash()
    {
        var a = new StateFixture();
        var b = new StateFixture();
        a.Block(a.Tx(Alice, new Transfer(Bob.PublicKey, Money.FromWhole(1))));
        b.Block(b.Tx(Alice, new Transfer(Bob.PublicKey, Money.FromWhole(2))));
        // Later blocks touch nothing the first one changed; the chain still carries the difference.
        for (var i = 0; i < 3; i++) Assert.NotEqual(a.Block().AppHash, b.Block().AppHash);
    }

    [Fact]
    public void A_checkpoint_height_should_commit_the_state_root_a_rebuild_reproduces()
    {
        var f = new StateFixture();
        Assert.Equal(0UL, f.State.CheckpointHeight);
        Assert.Equal(f.State.ComputeStateRoot(), f.State.CheckpointRoot);
        var genesisRoot = f.State.CheckpointRoot;

        f.Block(f.Tx(Alice, Buy("100")), f.Tx(Bob, new Transfer(Carol.PublicKey, Money.FromWhole(5))));
        while (f.State.Height < StateHasher.CheckpointInterval - 1) f.Block();
        Assert.Equal(0UL, f.State.CheckpointHeight);
        Assert.Equal(genesisRoot, f.State.CheckpointRoot);
        Assert.NotEqual(genesisRoot, f.State.ComputeStateRoot());

        f.Block();
        Assert.Equal(StateHasher.CheckpointInterval, f.State.CheckpointHeight);
        Assert.Equal(f.State.ComputeStateRoot(), f.State.CheckpointRoot);
        var rebuilt = ExchangeState.Restore(Genesis(), f.State.Snapshot());
        Assert.Equal(f.State.CheckpointRoot, rebuilt.ComputeStateRoot());
        Assert.Equal(f.State.AppHash, rebuilt.AppHash);
    }

    [Fact]
    public void A_snapshot_whose_state_root_does_not_match_its_state_should_be_refused()
    {
        var f = new StateFixture();
        f.Block(f.Tx(Alice, Buy("100")));
        var snapshot = f.State.Snapshot();

        // The state root sits after version, chain id, height, time, app hash and checkpoint.
        var r = new CanonicalReader(snapshot);
        r.ReadByte("version");
        r.ReadText("chain", Names.MaxChainIdLength);
        r.ReadVarUInt("height");
        r.ReadVarInt("time");
        r.ReadHash("app");
        r.ReadVarUInt("checkpoint height");
        r.ReadHash("checkpoint root");
        var offset = snapshot.Length - r.Remaining;
        snapshot[offset] ^= 0x01;

        Assert.Throws<InvariantViolationException>(() => ExchangeState.Restore(Genesis(), snapshot));
    }
}
