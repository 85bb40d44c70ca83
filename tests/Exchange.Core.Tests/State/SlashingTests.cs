using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;
using Exchange.Core.State;
using Exchange.Core.Tests.Ledger;
using static Exchange.Core.Tests.State.StateFixture;

namespace Exchange.Core.Tests.State;

public class SlashingTests
{
    private static readonly long GenesisStake = Money.FromWhole(100_000).Raw;

    private static StateFixture AtHeight(int height, Genesis? genesis = null)
    {
        var f = new StateFixture(genesis);
        for (var i = 0; i < height; i++) f.Block();
        return f;
    }

    private static Genesis GenesisWith(Func<RiskParameters, RiskParameters> risk)
    {
        var g = StateFixture.Genesis();
        return g with { Risk = risk(g.Risk) };
    }

    /// <summary>balances + stake + insurance fund + fee pool = deposits − withdrawals, summed here from the accounts.</summary>
    private static void AssertConserved(ExchangeState s)
    {
        Int128 held = (Int128)s.InsuranceFund + s.FeePool;
        foreach (var a in s.Accounts) held += (Int128)a.Balance + a.Stake;
        Assert.Equal((Int128)s.TotalDeposits - s.TotalWithdrawals, held);
    }

    private static void AssertHaltsUnchanged(StateFixture f, Block block, EvidenceError expected)
    {
        var check = f.State.ValidateEvidence(block);
        Assert.Equal(BlockError.InvalidEvidence, check.Error);
        Assert.StartsWith(expected.ToString(), check.Message);
        var (height, hash, stake) = (f.State.Height, f.State.AppHash, f.Account(Validator).Stake);
        Assert.Throws<StateMachineHaltException>(() => f.State.Apply(block));
        Assert.Equal((height, hash, stake), (f.State.Height, f.State.AppHash, f.Account(Validator).Stake));
    }

    [Fact]
    public void Double_vote_evidence_should_slash_exactly_the_fraction_into_the_insurance_fund()
    {
        var f = AtHeight(2);
        var insurance = f.State.InsuranceFund;
        var evidence = EvidenceFixtures.DoublePrevote(Validator, Chain, 2);
        Assert.True(f.State.CheckEvidence(evidence).IsValid, f.State.CheckEvidence(evidence).ToString());

        var result = f.BlockWithEvidence(evidence);

        var slashed = Single<Slashed>(result);
        Assert.Equal(Money.FromWhole(5_000), slashed.Amount);
        Assert.Equal(Money.FromWhole(95_000), slashed.StakeAfter);
        Assert.Equal(evidence.Offence, slashed.Offence);
        Assert.Equal(-1, slashed.TxIndex);
        Assert.Equal(GenesisStake - Money.FromWhole(5_000).Raw, f.Account(Validator).Stake);
        Assert.Equal(insurance + Money.FromWhole(5_000).Raw, f.State.InsuranceFund);
        Assert.True(f.State.IsSlashed(evidence.Offence));
        AssertConserved(f.State);
    }

    [Fact]
    public void Double_proposal_and_vote_for_block_and_nil_should_each_be_an_offence()
    {
        var f = AtHeight(3);
        var result = f.BlockWithEvidence(EvidenceFixtures.BlockAndNil(Validator, Chain, 2), EvidenceFixtures.DoubleProposal(Validator, Chain, 3));
        Assert.Equal(2, result.Events.OfType<Slashed>().Count());
        // 5% twice, each of the stake left: 100,000 → 95,000 → 90,250.
        Assert.Equal(Money.FromWhole(90_250).Raw, f.Account(Validator).Stake);
        AssertConserved(f.State);
    }

    [Fact]
    public void Slash_should_take_the_genesis_fraction_rounded_down()
    {
        var g = GenesisWith(r => r with { SlashFractionBps = 333 }) with { Validators = [(Validator.PublicKey, new Money(1_000_019))] };
        var f = AtHeight(1, g);
        f.BlockWithEvidence(EvidenceFixtures.DoublePrevote(Validator, Chain, 1));
        // 1,000,019 × 3.33% = 33,300.63 micro-USDC: 33,300 is taken.
        Assert.Equal(1_000_019 - 33_300, f.Account(Validator).Stake);
        AssertConserved(f.State);
    }

    [Fact]
    public void Evidence_with_a_forged_signature_should_make_the_block_invalid_and_change_nothing()
    {
        var f = AtHeight(2);
        var e = EvidenceFixtures.DoublePrevote(Validator, Chain, 1);
        var forged = e with { VoteB = e.VoteB with { Signature = e.VoteA.Signature } };
        AssertHaltsUnchanged(f, f.EvidenceBlock(forged), EvidenceError.InvalidSignature);
    }

    [Fact]
    public void Evidence_signed_for_another_chain_should_be_refused()
    {
        var f = AtHeight(2);
        AssertHaltsUnchanged(f, f.EvidenceBlock(EvidenceFixtures.DoublePrevote(Validator, "exchange-other", 1)), EvidenceError.InvalidSignature);
    }

    [Fact]
    public void Evidence_older_than_the_window_should_be_refused_and_evidence_at_its_edge_taken()
    {
        var f = AtHeight(3, GenesisWith(r => r with { EvidenceMaxAgeHeights = 2 }));
        // The next block is height 4: height 1 is three heights back, height 2 two.
        AssertHaltsUnchanged(f, f.EvidenceBlock(EvidenceFixtures.DoublePrevote(Validator, Chain, 1)), EvidenceError.Expired);
        Assert.Single(f.BlockWithEvidence(EvidenceFixtures.DoublePrevote(Validator, Chain, 2)).Events.OfType<Slashed>());
    }

    [Fact]
    public void Evidence_of_the_block_height_or_later_should_be_refused()
    {
        var f = AtHeight(2);
        AssertHaltsUnchanged(f, f.EvidenceBlock(EvidenceFixtures.DoublePrevote(Validator, Chain, 3)), EvidenceError.FutureHeight);
    }

    [Fact]
    public void Evidence_for_an_offence_already_slashed_should_be_ignored()
    {
        var f = AtHeight(2);
        var first = EvidenceFixtures.DoublePrevote(Validator, Chain, 1);
        f.BlockWithEvidence(first);
        var stake = f.Account(Validator).Stake;
        var insurance = f.State.InsuranceFund;

        var again = f.BlockWithEvidence(first);
        // Another pair of votes for the same step is the same offence.
        var otherPair = DuplicateVoteEvidence.Create(first.VoteA, EvidenceFixtures.Vote(Validator, Chain, VoteType.Prevote, 1, 0, Hash32.Zero));
        var otherPairResult = f.BlockWithEvidence(otherPair);

        Assert.Empty(again.Events.OfType<Slashed>());
        Assert.Empty(otherPairResult.Events.OfType<Slashed>());
        Assert.Equal(stake, f.Account(Validator).Stake);
        Assert.Equal(insurance, f.State.InsuranceFund);
    }

    [Fact]
    public void Evidence_against_a_key_that_was_not_a_validator_should_be_refused()
    {
        var f = AtHeight(2);
        AssertHaltsUnchanged(f, f.EvidenceBlock(EvidenceFixtures.DoublePrevote(Alice, Chain, 1)), EvidenceError.NotAValidator);
    }

    [Fact]
    public void A_new_stake_should_join_the_set_two_heights_after_its_block()
    {
        var f = new StateFixture();
        f.Block(f.Tx(Alice, new Stake(Money.FromWhole(1_000))));   // height 1: Alice signs from height 3
        f.Block();
        f.Block();
        Assert.False(f.State.WasValidatorAt(Alice.PublicKey, 2));
        Assert.True(f.State.WasValidatorAt(Alice.PublicKey, 3));
        AssertHaltsUnchanged(f, f.EvidenceBlock(EvidenceFixtures.DoublePrevote(Alice, Chain, 2)), EvidenceError.NotAValidator);
        f.BlockWithEvidence(EvidenceFixtures.DoublePrevote(Alice, Chain, 3));
        Assert.Equal(Money.FromWhole(950).Raw, f.Account(Alice).Stake);

        // Unstaking everything leaves the set two heights on; the offence before that is still slashable.
        f.Block(f.Tx(Alice, new Unstake(Money.FromWhole(950))));   // height 5
        Assert.True(f.State.WasValidatorAt(Alice.PublicKey, 6));
        Assert.False(f.State.WasValidatorAt(Alice.PublicKey, 7));
        AssertConserved(f.State);
    }

    [Fact]
    public void Slashed_offences_and_set_history_should_survive_a_snapshot_and_be_in_the_app_hash()
    {
        var f = AtHeight(2);
        var plain = AtHeight(2);
        f.BlockWithEvidence(EvidenceFixtures.DoublePrevote(Validator, Chain, 1));
        plain.Block();
        // The oracle's snapshot needs an index updated after genesis.
        f.BlockWithIndex(f.Time + 1_000, "100000");
        plain.BlockWithIndex(plain.Time + 1_000, "100000");

        var restored = ExchangeState.Restore(f.State.Genesis, f.State.Snapshot());
        Assert.Equal(f.State.AppHash, restored.AppHash);
        Assert.Equal(f.State.SlashingHash, restored.SlashingHash);
        Assert.Equal(f.State.SlashedOffences, restored.SlashedOffences);
        Assert.NotEqual(plain.State.SlashingHash, f.State.SlashingHash);
        Assert.NotEqual(plain.State.AppHash, f.State.AppHash);
    }

    [Fact]
    public void Genesis_json_should_carry_the_slash_fraction_and_default_it_to_five_percent()
    {
        var json = StateFixture.Genesis().ToJson();
        Assert.Contains("\"slash_fraction_bps\": 500", json);
        Assert.Contains("\"evidence_max_age_heights\": 1000", json);
        var withoutThem = string.Join('\n', json.Split('\n').Where(l => !l.Contains("slash_fraction_bps") && !l.Contains("evidence_max_age_heights")))
            .Replace("\"portfolio_vol_shock_bps\": 3000,", "\"portfolio_vol_shock_bps\": 3000");
        var parsed = Exchange.Core.State.Genesis.FromJson(withoutThem);
        Assert.Equal(RiskParameters.DefaultSlashFractionBps, parsed.Risk.SlashFractionBps);
        Assert.Contains("slash_fraction_bps", Assert.Throws<FormatException>(() => Exchange.Core.State.Genesis.FromJson(json.Replace("\"slash_fraction_bps\": 500", "\"slash_fraction_bps\": 10001"))).Message);
    }
}
