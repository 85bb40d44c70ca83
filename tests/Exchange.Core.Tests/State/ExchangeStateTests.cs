using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Markets.Book;
using Exchange.Core.Numerics;
using Exchange.Core.State;
using static Exchange.Core.Tests.State.StateFixture;

namespace Exchange.Core.Tests.State;

public class ExchangeStateTests
{
    private static void AssertRejected(BlockResult result, StateError error)
    {
        var rejected = Single<TxRejected>(result);
        Assert.Equal((int)error, rejected.Code);
        Assert.False(string.IsNullOrEmpty(rejected.Reason));
    }

    [Fact]
    public void Genesis_should_fund_accounts_stake_validators_and_list_the_grid()
    {
        var f = new StateFixture();
        Assert.Equal(Money.FromWhole(1_000_000).Raw, f.Account(Alice).Balance);
        Assert.Equal(Money.FromWhole(100_000).Raw, f.Account(Validator).Stake);
        // Strikes 95k, 100k, 105k × call/put × the one weekly expiry (Friday 27 Nov 2026).
        Assert.Equal(6, f.State.Instruments.Count);
        Assert.True(f.State.TryGetInstrument(Call, out _));
        Assert.NotEqual(Hash32.Zero, f.State.AppHash);
    }

    [Fact]
    public void Deposit_should_come_from_the_bridge_only_and_credit_each_transfer_once()
    {
        var f = new StateFixture();
        var id = Hash32.Compute("bridge-1"u8);
        var result = f.Block(f.Tx(Bridge, new Deposit(Carol.PublicKey, Money.FromWhole(500), id)));
        Assert.Equal(Money.FromWhole(500), Single<Deposited>(result).Amount);
        Assert.Equal(Money.FromWhole(500).Raw, f.Account(Carol).Balance);
        AssertRejected(f.Block(f.Tx(Bridge, new Deposit(Carol.PublicKey, Money.FromWhole(500), id))), StateError.DuplicateDeposit);
        f.Unuse(Bridge);
        AssertRejected(f.Block(f.Tx(Alice, new Deposit(Alice.PublicKey, Money.FromWhole(5), Hash32.Compute("x"u8)))), StateError.Unauthorized);
        Assert.Equal(Money.FromWhole(500).Raw, f.Account(Carol).Balance);
    }

    [Fact]
    public void Nonces_should_be_strictly_sequential_and_a_rejection_should_not_use_one()
    {
        var f = new StateFixture();
        var transfer = new Transfer(Bob.PublicKey, Money.FromWhole(1));
        f.Block(f.Tx(Alice, transfer));
        var replay = f.Tx(Alice, transfer, nonce: 1);
        AssertRejected(f.Block(replay), StateError.BadNonce);
        AssertRejected(f.Block(f.Tx(Alice, transfer, nonce: 3)), StateError.BadNonce);
        var before = f.State.AppHash;
        Assert.Equal(1UL, f.Account(Alice).Nonce);
        f.Block(f.Tx(Alice, transfer, nonce: 2));
        Assert.Equal(2UL, f.Account(Alice).Nonce);
        Assert.NotEqual(before, f.State.AppHash);
    }

    [Fact]
    public void Unknown_signer_should_be_refused()
    {
        var f = new StateFixture();
        AssertRejected(f.Block(f.Tx(Carol, new Transfer(Bob.PublicKey, Money.FromWhole(1)))), StateError.UnknownSigner);
    }

    [Fact]
    public void Stateless_errors_should_surface_with_their_tx_error_code()
    {
        var f = new StateFixture();
        var rejected = Single<TxRejected>(f.Block(f.Tx(Alice, new Transfer(Alice.PublicKey, Money.FromWhole(1)))));
        Assert.Equal((int)TxError.TransferToSelf, rejected.Code);
    }

    [Fact]
    public void Transfer_and_withdraw_should_be_limited_to_free_collateral()
    {
        var f = new StateFixture(Genesis(aliceBalance: Money.FromWhole(100)));
        AssertRejected(f.Block(f.Tx(Alice, new Withdraw(Money.Parse("100.000001"), "addr"))), StateError.InsufficientFreeCollateral);
        f.Unuse(Alice);
        var result = f.Block(f.Tx(Alice, new Withdraw(Money.FromWhole(60), "addr")), f.Tx(Alice, new Transfer(Carol.PublicKey, Money.FromWhole(40))));
        Assert.Empty(result.Events.OfType<TxRejected>());
        Assert.Equal(0, f.Account(Alice).Balance);
        Assert.Equal(Money.FromWhole(40).Raw, f.Account(Carol).Balance);
        Assert.Equal(Money.FromWhole(60).Raw, f.State.TotalWithdrawals);
    }

    [Fact]
    public void Agent_should_trade_for_its_principal_but_never_move_funds()
    {
        var f = new StateFixture();
        f.Block(f.Tx(Alice, new ApproveAgent(Carol.PublicKey, true)));
        var placed = f.Block(f.Tx(Carol, Limit(Call, Side.Buy, "1000", "1")));
        Assert.Empty(placed.Events.OfType<TxRejected>());
        Assert.Equal(f.Account(Alice).Id, Assert.Single(f.State.OrdersOf(f.Account(Alice).Id)).Account);
        AssertRejected(f.Block(f.Tx(Carol, new Withdraw(Money.FromWhole(1), "addr"))), StateError.AgentMayNotMoveFunds);
        f.Unuse(Carol);
        AssertRejected(f.Block(f.Tx(Carol, new Transfer(Bob.PublicKey, Money.FromWhole(1)))), StateError.AgentMayNotMoveFunds);
        f.Unuse(Carol);
        f.Block(f.Tx(Alice, new ApproveAgent(Carol.PublicKey, false)));
        var afterRevoke = f.Block(f.Tx(Carol, Limit(Call, Side.Buy, "1000", "1")));
        // Carol trades for herself now, and has no funds for it.
        Assert.Equal((int)StateError.InsufficientMargin, Single<TxRejected>(afterRevoke).Code);
    }

    [Fact]
    public void Key_with_funds_of_its_own_should_not_become_an_agent()
    {
        var f = new StateFixture();
        AssertRejected(f.Block(f.Tx(Alice, new ApproveAgent(Bob.PublicKey, true))), StateError.Unauthorized);
    }

    [Fact]
    public void Listing_should_need_the_authority_and_a_future_expiry()
    {
        var f = new StateFixture();
        var listing = new ListInstrument("BTC", 1_798_358_400, Price.FromWhole(110_000), OptionKind.Call, Price.Parse("0.1"), Quantity.Parse("0.1"), Quantity.Parse("0.1"));
        AssertRejected(f.Block(f.Tx(Alice, listing)), StateError.Unauthorized);
        f.Unuse(Alice);
        var listed = Single<InstrumentListed>(f.Block(f.Tx(Authority, listing)));
        Assert.Equal("BTC-27DEC26-110000-C", listed.Name);
        AssertRejected(f.Block(f.Tx(Authority, listing)), StateError.InstrumentAlreadyListed);
        f.Unuse(Authority);
        AssertRejected(f.Block(f.Tx(Authority, listing with { ExpiryUnixSeconds = 1_795_334_400 })), StateError.InstrumentExpired);
    }

    [Fact]
    public void Trade_should_move_premium_and_fees_and_open_matching_positions()
    {
        var f = new StateFixture();
        f.Block(f.Tx(Bob, Limit(Call, Side.Sell, "5000", "2")));
        var result = f.Block(f.Tx(Alice, Limit(Call, Side.Buy, "5000", "1.5")));
        var trade = Single<Traded>(result);
        Assert.Equal((Price.Parse("5000"), Quantity.Parse("1.5")), (trade.Price, trade.Quantity));
        // Fee: min(3 bp × 100,000 × 1.5 = 45, 12.5% × 7,500 = 937.5) = 45 USDC each side.
        Assert.Equal(Money.FromWhole(45), trade.TakerFee);
        Assert.Equal(Money.FromWhole(45), trade.MakerFee);
        Assert.Equal(Money.FromWhole(1_000_000 - 7_500 - 45).Raw, f.Account(Alice).Balance);
        Assert.Equal(Money.FromWhole(1_000_000 + 7_500 - 45).Raw, f.Account(Bob).Balance);
        f.State.TryGetInstrument(Call, out var call);
        Assert.Equal(Quantity.Parse("1.5").Raw, f.Account(Alice).Holdings[call.Id].Position);
        Assert.Equal(-Quantity.Parse("1.5").Raw, f.Account(Bob).Holdings[call.Id].Position);
        Assert.Equal(Money.FromWhole(45).Raw, f.State.InsuranceFund);
        Assert.Equal(Money.FromWhole(45).Raw, f.State.FeePool);
    }

    [Fact]
    public void Order_beyond_initial_margin_should_be_refused_and_open_orders_should_count()
    {
        var f = new StateFixture(Genesis(aliceBalance: Money.FromWhole(20_000)));
        var first = f.Block(f.Tx(Alice, Limit(Call, Side.Buy, "5000", "3")));
        Assert.Empty(first.Events.OfType<TxRejected>());
        // 15,000 is reserved by the resting buy; another 6,000 of premium does not fit in what is left.
        AssertRejected(f.Block(f.Tx(Alice, Limit(Put, Side.Buy, "3000", "2"))), StateError.InsufficientMargin);
        f.Unuse(Alice);
        var sell = f.Block(f.Tx(Alice, Limit(Put, Side.Sell, "3000", "1")));
        Assert.Equal((int)StateError.InsufficientMargin, Single<TxRejected>(sell).Code);
    }

    [Fact]
    public void Book_refusal_should_reject_the_transaction_and_change_nothing()
    {
        var f = new StateFixture();
        var before = f.State.AppHash;
        var result = f.Block(f.Tx(Alice, Limit(Call, Side.Buy, "5000.05", "1")));
        Assert.Equal((int)BookResult.InvalidPrice, Single<TxRejected>(result).Code);
        Assert.Equal(0UL, f.Account(Alice).Nonce);
        AssertRejected(f.Block(f.Tx(Alice, Limit("BTC-27NOV26-1-C", Side.Buy, "1", "1"), nonce: 1)), StateError.UnknownInstrument);
        Assert.NotEqual(before, f.State.AppHash);
    }

    [Fact]
    public void Cancel_and_amend_should_follow_the_trading_account()
    {
        var f = new StateFixture();
        f.Block(f.Tx(Alice, Limit(Call, Side.Buy, "4000", "1")));
        var order = Assert.Single(f.State.OrdersOf(f.Account(Alice).Id));
        Assert.Equal((int)BookResult.NotOrderOwner, Single<TxRejected>(f.Block(f.Tx(Bob, new CancelOrder(order.OrderId)))).Code);
        f.Unuse(Bob);
        f.Block(f.Tx(Alice, new AmendOrder(order.OrderId, Price.Parse("4100"), Quantity.Parse("2"))));
        var amended = Assert.Single(f.State.OrdersOf(f.Account(Alice).Id));
        Assert.Equal((Price.Parse("4100").Raw, Quantity.Parse("2").Raw), (amended.Price, amended.Remaining));
        f.State.TryGetInstrument(Call, out var call);
        Assert.Equal(Money.FromWhole(8_200).Raw, f.Account(Alice).Holdings[call.Id].OpenBuyPremium);
        f.Block(f.Tx(Alice, new CancelAll("")));
        Assert.Empty(f.State.OrdersOf(f.Account(Alice).Id));
        Assert.False(f.Account(Alice).Holdings.ContainsKey(call.Id));
    }

    [Fact]
    public void Stake_and_unstake_should_move_between_balance_and_bond()
    {
        var f = new StateFixture();
        f.Block(f.Tx(Alice, new Stake(Money.FromWhole(1_000))));
        Assert.Equal(Money.FromWhole(1_000).Raw, f.Account(Alice).Stake);
        AssertRejected(f.Block(f.Tx(Alice, new Unstake(Money.FromWhole(1_001)))), StateError.InsufficientStake);
        f.Unuse(Alice);
        f.Block(f.Tx(Alice, new Unstake(Money.FromWhole(1_000))));
        Assert.Equal(Money.FromWhole(1_000_000).Raw, f.Account(Alice).Balance);
    }

    [Fact]
    public void Blocks_out_of_order_or_for_another_chain_should_halt_the_machine()
    {
        var f = new StateFixture();
        var header = new BlockHeader(Chain, 5, 0, GenesisMs + 1, Hash32.Zero, MerkleTree.EmptyRoot, Hash32.Zero, Hash32.Zero, Validator.PublicKey);
        Assert.Throws<StateMachineHaltException>(() => f.State.Apply(new Block(header, [], Commit.Empty)));
        Assert.Throws<StateMachineHaltException>(() => f.State.Apply(new Block(header with { Height = 1, ChainId = "other" }, [], Commit.Empty)));
        Assert.Throws<StateMachineHaltException>(() => f.State.Apply(new Block(header with { Height = 1, TimeUnixMs = GenesisMs - 1 }, [], Commit.Empty)));
    }
}
