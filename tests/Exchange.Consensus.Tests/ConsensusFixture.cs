using Exchange.Consensus;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Numerics;
using Exchange.Core.Oracle;

namespace Exchange.Consensus.Tests;

/// <summary>Keys, blocks and signing helpers shared by the tests, after CometBFT's common_test.go.</summary>
public static class ConsensusFixture
{
    public const string Chain = "exchange-test-1";

    public static KeyPair Key(int i)
    {
        var secret = new byte[32];
        secret[31] = (byte)(i + 1);
        secret[0] = 0x11;
        return KeyPair.FromSecret(secret);
    }

    public static ValidatorStub[] Stubs(int n) => [.. Enumerable.Range(0, n).Select(i => new ValidatorStub(Key(i)))];

    public static ValidatorSet EqualSet(IEnumerable<ValidatorStub> stubs) => ValidatorSet.Create(stubs.Select(s => (s.Key, 10L)));

    public static ConsensusConfig Config => new(Chain, new TimeoutConfig(100, 10, 50, 10, 50, 10));

    /// <summary>An empty block; <paramref name="timeMs"/> tells blocks of one height apart.</summary>
    public static Block MakeBlock(ulong height, PublicKey proposer, Commit lastCommit, ValidatorSet validators, long timeMs = 1_000)
    {
        var header = new BlockHeader(Chain, height, 0, timeMs, lastCommit.IsEmpty ? Hash32.Zero : lastCommit.BlockHash,
            Block.ComputeTxRoot([]), Hash32.Zero, validators.Hash(), proposer, Hash32.Zero, lastCommit.IsEmpty ? Hash32.Zero : lastCommit.Hash());
        return new Block(header, [], lastCommit);
    }

    public static PriceObservation Observation(PublicKey validator, ulong height, long price) =>
        PriceObservation.Create(validator, height, 1_000, [new IndexQuote("BTC", new Price(price), 550_000)]);

    public static IEnumerable<Vote> Votes(this IEnumerable<ConsensusOutput> outputs) =>
        outputs.OfType<ConsensusOutput.Broadcast>().Select(b => b.Message).OfType<Vote>();

    public static Vote Single(this IEnumerable<ConsensusOutput> outputs, VoteType type) => Assert.Single(outputs.Votes(), v => v.Type == type);
}

/// <summary>A validator the test drives by hand: it signs whatever it is told, like CometBFT's validatorStub.</summary>
public sealed class ValidatorStub(KeyPair key)
{
    private static readonly byte[] Aux = new byte[32];
    public KeyPair KeyPair { get; } = key;
    public PublicKey Key => KeyPair.PublicKey;

    public Vote Vote(VoteType type, ulong height, uint round, Hash32 blockHash, PriceObservation? extension = null)
    {
        var unsigned = new Vote(type, height, round, blockHash, Key, extension?.Sign(ConsensusFixture.Chain, KeyPair, Aux), Signature.Empty);
        return unsigned with { Signature = KeyPair.Sign(unsigned.SigningHash(ConsensusFixture.Chain), Aux) };
    }

    public Proposal Propose(ulong height, uint round, int polRound, Block block)
    {
        var unsigned = new Proposal(height, round, polRound, block, Key, Signature.Empty);
        return unsigned with { Signature = KeyPair.Sign(unsigned.SigningHash(ConsensusFixture.Chain), Aux) };
    }
}

/// <summary>One core under test with its own signer, and helpers to feed it votes from stubs.</summary>
public sealed class CoreUnderTest
{
    public ValidatorStub Me { get; }
    public ValidatorStub[] Others { get; }
    public ValidatorSet Validators { get; }
    public ConsensusCore Core { get; }
    public InMemorySignStateStore Store { get; }

    public CoreUnderTest(ValidatorStub[] all, int me, InMemorySignStateStore? store = null, SignatureVerifier? verifier = null)
    {
        Me = all[me];
        Others = [.. all.Where((_, i) => i != me)];
        Validators = ConsensusFixture.EqualSet(all);
        Store = store ?? new InMemorySignStateStore();
        Core = new ConsensusCore(ConsensusFixture.Config with { Verifier = verifier }, new PrivValidator(Me.KeyPair, Store));
    }

    /// <summary>Index of the validator that proposes <paramref name="round"/> at every height of this set, for tests that pick who they are.</summary>
    public static int IndexOfProposer(ValidatorStub[] all, uint round)
    {
        var set = ConsensusFixture.EqualSet(all);
        for (var r = 0; r < round; r++) set = set.IncrementProposerPriority(1);
        return Array.FindIndex(all, s => s.Key == set.Proposer.Key);
    }

    public IReadOnlyList<ConsensusOutput> Start(ulong height = 1) => Core.Handle(new ConsensusInput.Start(height, Validators, Commit.Empty));

    public ValidatorStub ProposerStub(uint round) => Others.Single(s => s.Key == Core.ProposerOf(round));

    /// <summary>Signs and delivers one vote from each stub (CometBFT's signAddVotes).</summary>
    public List<ConsensusOutput> SignAddVotes(VoteType type, uint round, Hash32 blockHash, params ValidatorStub[] stubs)
    {
        var outputs = new List<ConsensusOutput>();
        foreach (var s in stubs) outputs.AddRange(Core.Handle(new ConsensusInput.VoteReceived(s.Vote(type, Core.Height, round, blockHash))));
        return outputs;
    }

    public IReadOnlyList<ConsensusOutput> Handle(ConsensusInput input) => Core.Handle(input);

    /// <summary>Delivers a proposal from the round's proposer stub and answers its validation request with <paramref name="valid"/>.</summary>
    public (Block Block, List<ConsensusOutput> Outputs) ReceiveProposal(uint round, int polRound = -1, long timeMs = 1_000, bool valid = true, Block? block = null)
    {
        var proposer = ProposerStub(round);
        block ??= ConsensusFixture.MakeBlock(Core.Height, proposer.Key, Commit.Empty, Validators, timeMs);
        var outputs = Core.Handle(new ConsensusInput.ProposalReceived(proposer.Propose(Core.Height, round, polRound, block))).ToList();
        if (outputs.OfType<ConsensusOutput.ValidateBlock>().Any())
            outputs.AddRange(Core.Handle(new ConsensusInput.BlockValidated(block.Hash(), valid)));
        return (block, outputs);
    }

    /// <summary>CometBFT's ensureNewRound: the core is in <paramref name="round"/> at the propose step and has set its propose timer.</summary>
    public void EnsureNewRound(IEnumerable<ConsensusOutput> outputs, uint round)
    {
        Assert.Equal(round, Core.Round);
        Assert.Equal(RoundStep.Propose, Core.Step);
        Assert.Contains(outputs, o => o is ConsensusOutput.ScheduleTimeout { Step: RoundStep.Propose } t && t.Round == round && t.Height == Core.Height);
    }
}
