using System.Security.Cryptography;
using System.Text;
using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;
using Exchange.Node.Hosting;
using Exchange.Node.Ledger;
using BlockCommitted = Exchange.Node.Ledger.BlockCommitted;
using Exchange.Node.Mempool;
using Exchange.Node.Peers;
using Exchange.Node.Validator;

namespace Exchange.Node.Tests;

/// <summary>One valid message of every registered wire type, signed with keys derived from names so every run sends the same bytes.</summary>
internal static class WireFixtures
{
    public const string Chain = "exchange-test-1";
    public static readonly byte[] ZeroAux = new byte[32];

    public static KeyPair Key(string name) => KeyPair.FromSecret(SHA256.HashData(Encoding.UTF8.GetBytes("node-test-key:" + name)));

    public static readonly KeyPair Alice = Key("alice");
    public static readonly KeyPair Bob = Key("bob");
    public static readonly KeyPair[] Validators = [Key("v0"), Key("v1"), Key("v2"), Key("v3")];

    public static Transaction Transfer_Alice_To_Bob_1 =>
        Transaction.Create(Chain, Alice.PublicKey, 1, new Transfer(Bob.PublicKey, Money.FromWhole(1))).SignWith(Alice, ZeroAux);

    public static Block Block_Height1 => BlockAt(1, [Transfer_Alice_To_Bob_1], Commit.Empty, Hash32.Zero);

    /// <summary>The precommits of three of four validators for block 1, the first with its price observation.</summary>
    public static Commit Commit_Height1_ThreeOfFour
    {
        get
        {
            var hash = Block_Height1.Hash();
            var message = Commit.PrecommitSigningHash(Chain, 1, 0, hash);
            return Commit.Create(1, 0, hash, Validators.Take(3).Select((v, i) =>
                new CommitSignature(v.PublicKey, v.Sign(message, ZeroAux), i == 0 ? Observation(v, 1) : null)));
        }
    }

    /// <summary>Block 1 as the ledger stores and serves it: with its own commit and an app hash.</summary>
    public static BlockCommitted Committed_Height1 => new(Block_Height1, Commit_Height1_ThreeOfFour, Hash32.Compute("app-1"u8));

    public static BlockCommitted Committed_Height2
    {
        get
        {
            var hash = Block_Height2.Hash();
            var message = Commit.PrecommitSigningHash(Chain, 2, 1, hash);
            var commit = Commit.Create(2, 1, hash, Validators.Take(3).Select(v => new CommitSignature(v.PublicKey, v.Sign(message, ZeroAux), null)));
            return new BlockCommitted(Block_Height2, commit, Hash32.Compute("app-2"u8));
        }
    }

    public static Block Block_Height2 => BlockAt(2, [], Commit_Height1_ThreeOfFour, Block_Height1.Hash());

    public static Proposal Proposal_Height2_Round1 => Sign(new Proposal(2, 1, -1, Block_Height2, Validators[1].PublicKey, Signature.Empty), Validators[1]);

    public static Vote Prevote_Height2 => SignVote(new Vote(VoteType.Prevote, 2, 1, Block_Height2.Hash(), Validators[2].PublicKey, null, Signature.Empty), Validators[2]);

    public static Vote Precommit_Height2_WithObservation =>
        SignVote(new Vote(VoteType.Precommit, 2, 1, Block_Height2.Hash(), Validators[3].PublicKey, Observation(Validators[3], 2), Signature.Empty), Validators[3]);

    public static Hello Hello_Alice =>
        Hello.Create(Chain, Alice, ["validator"], "akka.tcp://exchange@127.0.0.1:4053", 11, "akka.tcp://exchange@127.0.0.1:4054", -22, true, ZeroAux);

    /// <summary>Every registered message type, with a name for test output.</summary>
    public static IEnumerable<object[]> OneOfEach() =>
    [
        ["tx", Transfer_Alice_To_Bob_1],
        ["block", Block_Height2],
        ["commit", Commit_Height1_ThreeOfFour],
        ["proposal", Proposal_Height2_Round1],
        ["vote (prevote)", Prevote_Height2],
        ["vote (precommit with observation)", Precommit_Height2_WithObservation],
        ["hello", Hello_Alice],
        ["v-status", new ConsensusStatus(7)],
        ["v-decided", new DecidedBlock(Block_Height1, Commit_Height1_ThreeOfFour)],
        ["v-compact", CompactProposal.Of(Proposal_Height2_Round1)],
        ["v-proposal?", new ProposalWanted(2, 1)],
        ["mp-submit", new SubmitTx(Transfer_Alice_To_Bob_1.Encode())],
        ["mp-accepted", new TxAccepted(Transfer_Alice_To_Bob_1.Hash())],
        ["mp-rejected", new TxRejected(Transfer_Alice_To_Bob_1.Hash(), MempoolError.Duplicate, "already pending")],
        ["mp-gossip", new GossipTxs([Transfer_Alice_To_Bob_1.Encode(), Transfer_Alice_To_Bob_1.Encode()])],
        ["mp-submit-many", new SubmitTxs([Transfer_Alice_To_Bob_1.Encode(), [1, 2, 3]])],
        ["mp-verdicts", new TxsSubmitted([new TxVerdict(Transfer_Alice_To_Bob_1.Hash(), MempoolError.None, ""), new TxVerdict(Hash32.Zero, MempoolError.Malformed, "not canonical")])],
        ["mp-status?", GetMempoolStatus.Instance],
        ["mp-status", new MempoolStatus(3, 600, 1, 4, 10, 2, 5)],
        ["island-probe", new IslandProbe(Chain)],
        ["island-info", new IslandInfo(Chain, 3, 5, "akka.tcp://exchange@127.0.0.1:4053")],
        ["l-status?", GetStatus.Instance],
        ["l-status", new LedgerStatus(12, Hash32.Compute("state"u8), 1_798_000_000_012)],
        ["l-block?", new GetBlock(12)],
        ["l-block", new BlockFound(Committed_Height1)],
        ["l-no-block", new BlockNotFound(13, 12)],
        ["l-blocks?", new GetBlocks(3, 50)],
        ["l-blocks", new BlockRange(1, [Committed_Height1, Committed_Height2], 7)],
        ["l-blocks-none", new BlocksUnavailable(3, "the journal could not be read: disk on fire")],
        ["l-account?", new GetAccount(Alice.PublicKey)],
        ["l-account", new AccountInfo(Alice.PublicKey, true, 4, 1_000_000, 12)],
    ];

    private static PriceObservation Observation(KeyPair validator, ulong height) =>
        PriceObservation.Create(validator.PublicKey, height, 1_000, [new IndexQuote("BTC", Price.FromWhole(100_000), 550_000)]).Sign(Chain, validator, ZeroAux);

    private static Block BlockAt(ulong height, Transaction[] txs, Commit lastCommit, Hash32 prevHash)
    {
        var header = new BlockHeader(Chain, height, 0, 1_798_000_000_000 + (long)height, prevHash, Block.ComputeTxRoot(txs), Hash32.Zero,
            Hash32.Compute("validators"u8), Validators[0].PublicKey, Hash32.Zero, lastCommit.IsEmpty ? Hash32.Zero : lastCommit.Hash());
        return new Block(header, txs, lastCommit);
    }

    private static Proposal Sign(Proposal p, KeyPair key) => p with { Signature = key.Sign(p.SigningHash(Chain), ZeroAux) };

    private static Vote SignVote(Vote v, KeyPair key) => v with { Signature = key.Sign(v.SigningHash(Chain), ZeroAux) };
}
