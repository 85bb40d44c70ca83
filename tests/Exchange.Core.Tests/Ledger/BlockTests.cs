using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;
using static Exchange.Core.Tests.Ledger.BlockFixtures;

namespace Exchange.Core.Tests.Ledger;

public class BlockTests
{
    private static readonly List<Block> Chain = ChainOf(3, txsPerBlock: 5);

    [Fact]
    public void Blocks_of_a_valid_chain_should_pass_and_link_by_hash()
    {
        Assert.All(Chain, b => Assert.True(b.Validate().IsValid, b.Validate().Message));
        for (var i = 1; i < Chain.Count; i++)
        {
            Assert.Equal(Chain[i - 1].Hash(), Chain[i].Header.PrevBlockHash);
            Assert.Equal(CommitCheck.Valid, Chain[i].LastCommit.Verify(LedgerFixtures.ChainA, Chain[i - 1].Header.Height, Chain[i - 1].Hash(), Power, TotalPower));
        }
    }

    [Fact]
    public void Block_whose_transactions_differ_from_its_tx_root_should_be_refused()
    {
        var block = Chain[1];
        var extra = LedgerFixtures.Signed(LedgerFixtures.Bob, 1, new Stake(Money.FromWhole(1)));
        Assert.Equal(BlockError.TxRootMismatch, (block with { Transactions = [.. block.Transactions, extra] }).Validate().Error);
        Assert.Equal(BlockError.TxRootMismatch, (block with { Transactions = block.Transactions.Reverse().ToArray() }).Validate().Error);
    }

    [Fact]
    public void Block_carrying_a_transaction_for_another_chain_should_name_it()
    {
        var txs = Chain[0].Transactions.ToList();
        txs[2] = LedgerFixtures.Signed(LedgerFixtures.Alice, 3, new Stake(Money.FromWhole(1)), LedgerFixtures.ChainB);
        var block = Chain[0] with { Transactions = txs, Header = Chain[0].Header with { TxRoot = Block.ComputeTxRoot(txs) } };
        var v = block.Validate();
        Assert.Equal(BlockError.TransactionForOtherChain, v.Error);
        Assert.Equal(2, v.TxIndex);
    }

    [Fact]
    public void Block_carrying_an_invalid_transaction_should_name_it()
    {
        var txs = Chain[0].Transactions.ToList();
        txs[4] = LedgerFixtures.Signed(LedgerFixtures.Alice, 3, new Stake(Money.Zero));
        var block = Chain[0] with { Transactions = txs, Header = Chain[0].Header with { TxRoot = Block.ComputeTxRoot(txs) } };
        var v = block.Validate();
        Assert.Equal(BlockError.InvalidTransaction, v.Error);
        Assert.Equal(4, v.TxIndex);
        Assert.Contains("NonPositiveAmount", v.Message);
    }

    [Fact]
    public void Commit_that_is_not_for_the_previous_block_should_be_refused()
    {
        Assert.Equal(BlockError.LastCommitMismatch, (Chain[0] with { LastCommit = Chain[1].LastCommit }).Validate().Error);
        Assert.Equal(BlockError.LastCommitMismatch, (Chain[2] with { LastCommit = Chain[1].LastCommit }).Validate().Error);
        Assert.Equal(BlockError.LastCommitMismatch, (Chain[1] with { LastCommit = Commit.Empty }).Validate().Error);
        Assert.Equal(BlockError.InvalidHeight, (Chain[0] with { Header = Chain[0].Header with { Height = 0 } }).Validate().Error);
    }

    [Fact]
    public void Block_with_too_many_transactions_should_be_refused()
    {
        var tx = Chain[0].Transactions[0];
        var txs = Enumerable.Repeat(tx, Block.MaxTransactions + 1).ToArray();
        Assert.Equal(BlockError.TooManyTransactions, (Chain[0] with { Transactions = txs }).Validate().Error);
    }

    [Fact]
    public void Block_hash_should_change_with_every_header_field()
    {
        var h = Chain[1].Header;
        var variants = new[]
        {
            h with { ChainId = "other" }, h with { Height = h.Height + 1 }, h with { Round = h.Round + 1 },
            h with { TimeUnixMs = h.TimeUnixMs + 1 }, h with { PrevBlockHash = Hash32.Zero }, h with { TxRoot = Hash32.Zero },
            h with { AppHash = Hash32.Zero }, h with { ValidatorsHash = Hash32.Zero }, h with { Proposer = Validators[0].PublicKey },
            h with { LiquidationsHash = Hash32.Compute([1]) }, h with { LastCommitHash = Hash32.Compute([2]) }, h with { EvidenceHash = Hash32.Compute([3]) },
        };
        Assert.Equal(variants.Length, variants.Select(v => v.Hash()).Append(h.Hash()).Distinct().Count() - 1);
    }

    [Fact]
    public void Commit_should_check_every_signature_through_the_verifier_it_is_given()
    {
        var header = Chain[0].Header;
        var commit = CommitFor(header, Validators);
        var asked = new List<PublicKey>();
        SignatureVerifier counting = (in PublicKey key, in Hash32 message, in Signature signature) =>
        {
            asked.Add(key);
            return Schnorr.Verify(key, message, signature);
        };
        Assert.Equal(CommitCheck.Valid, commit.Verify(LedgerFixtures.ChainA, 1, header.Hash(), Power, TotalPower, counting));
        Assert.Equal(commit.Signatures.Select(s => s.Validator), asked);

        SignatureVerifier refusing = (in PublicKey _, in Hash32 _, in Signature _) => SignatureCheck.InvalidSignature;
        Assert.Equal(CommitCheck.InvalidSignature, commit.Verify(LedgerFixtures.ChainA, 1, header.Hash(), Power, TotalPower, refusing));
    }

    [Fact]
    public void Commit_with_two_of_four_validators_should_lack_power()
    {
        var header = Chain[0].Header;
        var commit = CommitFor(header, Validators.Take(2));
        Assert.Equal(CommitCheck.InsufficientPower, commit.Verify(LedgerFixtures.ChainA, 1, header.Hash(), Power, TotalPower));
        Assert.Equal(CommitCheck.Valid, CommitFor(header, Validators).Verify(LedgerFixtures.ChainA, 1, header.Hash(), Power, TotalPower));
    }

    [Fact]
    public void Commit_with_a_forged_duplicate_or_foreign_signature_should_be_refused()
    {
        var header = Chain[0].Header;
        var hash = header.Hash();
        var good = CommitFor(header, Validators.Take(3));

        var forged = good.Signatures.ToArray();
        forged[1] = forged[1] with { Signature = forged[0].Signature };
        Assert.Equal(CommitCheck.InvalidSignature, (good with { Signatures = forged }).Verify(LedgerFixtures.ChainA, 1, hash, Power, TotalPower));

        var duplicated = good.Signatures.Append(good.Signatures[0]).ToArray();
        Assert.Equal(CommitCheck.DuplicateValidator, (good with { Signatures = duplicated }).Verify(LedgerFixtures.ChainA, 1, hash, Power, TotalPower));

        var stranger = CommitFor(header, [LedgerFixtures.Alice, .. Validators.Take(3)]);
        Assert.Equal(CommitCheck.UnknownValidator, stranger.Verify(LedgerFixtures.ChainA, 1, hash, Power, TotalPower));

        Assert.Equal(CommitCheck.WrongBlock, good.Verify(LedgerFixtures.ChainA, 2, hash, Power, TotalPower));
        Assert.Equal(CommitCheck.InvalidSignature, good.Verify(LedgerFixtures.ChainB, 1, hash, Power, TotalPower));
    }

    [Fact]
    public void Encoded_block_should_decode_to_an_equal_block_with_the_same_hash()
    {
        var block = Chain[2];
        var decoded = Block.Decode(block.Encode());
        Assert.Equal(block, decoded);
        Assert.Equal(block.Hash(), decoded.Hash());
        Assert.True(decoded.Validate().IsValid);
    }

    [Fact]
    public void Encoded_commit_should_decode_to_an_equal_commit_and_refuse_a_trailing_byte()
    {
        var commit = Chain[2].LastCommit;
        var bytes = commit.Encode();
        Assert.Equal(commit, Commit.Decode(bytes));
        Assert.Equal(Commit.Empty, Commit.Decode(Commit.Empty.Encode()));
        var error = Assert.Throws<Exchange.Core.Ledger.Codec.DecodeException>(() => Commit.Decode([.. bytes, 0]));
        Assert.Equal(Exchange.Core.Ledger.Codec.DecodeError.TrailingBytes, error.Error);
    }
}
