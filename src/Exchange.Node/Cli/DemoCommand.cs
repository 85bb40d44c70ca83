using System.CommandLine;
using System.Diagnostics;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;
using Exchange.Node.Crypto;
using Exchange.Node.Keys;
using Spectre.Console;

namespace Exchange.Node.Cli;

/// <summary>
/// <c>exchange demo</c>: the foundation end to end, with no network. Fresh keys sign a small chain of
/// blocks (listings, deposits, orders, amends, cancels, transfers, a withdrawal), four validators
/// commit each block, and every block is encoded, decoded, validated and verified as a peer would.
/// </summary>
internal static class DemoCommand
{
    private const string ChainId = "exchange-demo-1";

    public static Command Create()
    {
        var traders = new Option<int>("--traders") { Description = "Number of trading accounts", DefaultValueFactory = _ => 8 };
        var orders = new Option<int>("--orders") { Description = "Orders per trading block", DefaultValueFactory = _ => 2_000 };
        var command = new Command("demo", "Sign, commit, encode and verify a short chain of blocks locally (no network)") { traders, orders };
        command.SetAction(parse =>
        {
            var t = parse.GetValue(traders);
            var o = parse.GetValue(orders);
            if (t < 2 || o < 1 || o > Block.MaxTransactions - t)
            {
                Console.Error.WriteLine($"error: need at least 2 traders and 1 to {Block.MaxTransactions - t} orders per block");
                return 2;
            }
            try
            {
                Secp256k1Check();
            }
            catch (Secp256k1UnavailableException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
            return Run(t, o);
        });
        return command;
    }

    private static void Secp256k1Check() => _ = Schnorr.IsValidPublicKey(default);

    private static int Run(int traderCount, int ordersPerBlock)
    {
        AnsiConsole.MarkupLine("[bold]Exchange demo[/]: signed transactions and blocks, checked the way a validator checks them.");
        AnsiConsole.MarkupLine("[grey]A local demonstration of the ledger foundation; the multi-validator devnet with gateway and market maker comes with the cluster work.[/]");
        AnsiConsole.WriteLine();

        var validators = Enumerable.Range(0, 4).Select(_ => KeyGenerator.Generate()).ToArray();
        var power = validators.ToDictionary(v => v.PublicKey, _ => 100L);
        var bridge = KeyGenerator.Generate();
        var authority = KeyGenerator.Generate();
        var traders = Enumerable.Range(0, traderCount).Select(_ => KeyGenerator.Generate()).ToArray();
        var nonces = new Dictionary<PublicKey, ulong>();
        var instruments = new[] { "BTC-27DEC26-100000-C", "BTC-27DEC26-100000-P", "ETH-27DEC26-4000-C" };

        Transaction Sign(KeyPair key, Payload payload)
        {
            var nonce = nonces[key.PublicKey] = nonces.GetValueOrDefault(key.PublicKey) + 1;
            return Transaction.Create(ChainId, key.PublicKey, nonce, payload).SignWith(key, KeyGenerator.AuxRandomness());
        }

        var signWatch = Stopwatch.StartNew();
        List<List<Transaction>> blocks =
        [
            [
                Sign(authority, new ListInstrument("BTC", ExpiryOf27Dec26, Price.FromWhole(100_000), OptionKind.Call, Price.Parse("0.1"), Quantity.Parse("0.1"), Quantity.Parse("0.1"))),
                Sign(authority, new ListInstrument("BTC", ExpiryOf27Dec26, Price.FromWhole(100_000), OptionKind.Put, Price.Parse("0.1"), Quantity.Parse("0.1"), Quantity.Parse("0.1"))),
                Sign(authority, new ListInstrument("ETH", ExpiryOf27Dec26, Price.FromWhole(4_000), OptionKind.Call, Price.Parse("0.01"), Quantity.Parse("1"), Quantity.Parse("1"))),
                .. traders.Select((t, i) => Sign(bridge, new Deposit(t.PublicKey, Money.FromWhole(100_000), Hash32.Compute(BitConverter.GetBytes(i))))),
                Sign(traders[0], new ApproveAgent(traders[1].PublicKey, true)),
                .. validators.Select(v => Sign(v, new Stake(Money.FromWhole(10_000)))),
            ],
            TradingBlock(traders, instruments, ordersPerBlock, Sign),
            TradingBlock(traders, instruments, ordersPerBlock, Sign),
        ];
        signWatch.Stop();
        var signed = blocks.Sum(b => b.Count);

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("Height", "Txs", "Bytes", "Block hash", "Checks", "Signatures", "Commit");
        var prevHash = Hash32.Zero;
        var lastCommit = Commit.Empty;
        var verifyWatch = new Stopwatch();
        var failures = 0;
        for (var i = 0; i < blocks.Count; i++)
        {
            var height = (ulong)i + 1;
            var txs = blocks[i];
            var header = new BlockHeader(ChainId, height, 0, 1_798_358_400_000 + i * 250L, prevHash, Block.ComputeTxRoot(txs),
                Hash32.Compute(BitConverter.GetBytes(height)), Hash32.Compute("demo-validators"u8), validators[i % 4].PublicKey,
                LastCommitHash: lastCommit.IsEmpty ? Hash32.Zero : lastCommit.Hash());
            var bytes = new Block(header, txs, lastCommit).Encode();

            // From here on, act as a peer that received only the bytes.
            var received = Block.Decode(bytes);
            var validation = received.Validate();
            var batch = received.Transactions.Select(tx => new SignedMessage(tx)).ToArray();
            var checks = new SignatureCheck[batch.Length];
            verifyWatch.Start();
            ParallelSignatureVerifier.AllCores.Verify(batch, checks);
            verifyWatch.Stop();
            var badSignatures = checks.Count(c => c != SignatureCheck.Valid) + received.Transactions.Count(tx => tx.ChainId != ChainId);
            var commitCheck = height == 1
                ? "genesis"
                : received.LastCommit.Verify(ChainId, height - 1, prevHash, power, 400).ToString();
            if (!validation.IsValid || badSignatures != 0 || commitCheck is not ("genesis" or "Valid")) failures++;

            var roundTrip = received == new Block(header, txs, lastCommit);
            table.AddRow(height.ToString(), txs.Count.ToString("N0"), bytes.Length.ToString("N0"), Short(received.Hash()),
                roundTrip && validation.IsValid ? "[green]ok[/]" : $"[red]{Markup.Escape(validation.Message)}[/]",
                badSignatures == 0 ? $"[green]{txs.Count:N0} ok[/]" : $"[red]{badSignatures} bad[/]",
                commitCheck == "Valid" ? "[green]3/4 power[/]" : commitCheck);
            if (!roundTrip) failures++;

            prevHash = received.Hash();
            var precommit = Commit.PrecommitSigningHash(ChainId, height, 0, prevHash);
            lastCommit = Commit.Create(height, 0, prevHash, validators.Take(3).Select(v =>
                new CommitSignature(v.PublicKey, v.Sign(precommit, KeyGenerator.AuxRandomness()))));
        }
        AnsiConsole.Write(table);

        var kinds = new Table().Border(TableBorder.Simple).AddColumns("Payload", "Count");
        foreach (var group in blocks.SelectMany(b => b).GroupBy(tx => tx.Payload.Kind).OrderBy(g => g.Key))
            kinds.AddRow(group.Key.ToString(), group.Count().ToString("N0"));
        AnsiConsole.Write(kinds);

        var tampered = blocks[1][0] with { Nonce = blocks[1][0].Nonce + 1 };
        AnsiConsole.MarkupLine($"A transaction with its nonce changed after signing: [yellow]{tampered.VerifySignature(ChainId)}[/]; " +
                               $"the same transaction replayed on another chain: [yellow]{blocks[1][0].VerifySignature("other-chain")}[/].");
        AnsiConsole.MarkupLine($"Signed {signed:N0} transactions at {signed / signWatch.Elapsed.TotalSeconds:N0}/s; " +
                               $"verified them at {signed / verifyWatch.Elapsed.TotalSeconds:N0}/s on {ParallelSignatureVerifier.AllCores.Workers} cores (libsecp256k1).");
        AnsiConsole.MarkupLine(failures == 0 ? "[green]Every block decoded, validated and verified.[/]" : $"[red]{failures} block(s) failed checks.[/]");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>27 December 2026, 08:00 UTC.</summary>
    private const long ExpiryOf27Dec26 = 1_798_358_400;

    private static List<Transaction> TradingBlock(KeyPair[] traders, string[] instruments, int orders, Func<KeyPair, Payload, Transaction> sign)
    {
        var txs = new List<Transaction>(orders + 4);
        for (var i = 0; i < orders; i++)
        {
            var trader = traders[i % traders.Length];
            var instrument = instruments[i % instruments.Length];
            var buy = i % 2 == 0;
            txs.Add((i % 10) switch
            {
                7 => sign(trader, new AmendOrder((ulong)i, Price.FromWhole(480 + i % 40), Quantity.Parse("0.5"))),
                8 => sign(trader, new CancelOrder((ulong)i)),
                9 => sign(trader, new PlaceOrder(instrument, buy ? Side.Buy : Side.Sell, OrderType.Market, TimeInForce.ImmediateOrCancel,
                    OrderFlags.None, Price.Zero, Quantity.Parse("0.2"), 0, SelfTradePrevention.CancelIncoming)),
                _ => sign(trader, new PlaceOrder(instrument, buy ? Side.Buy : Side.Sell, OrderType.Limit, TimeInForce.GoodTilCancelled,
                    i % 3 == 0 ? OrderFlags.PostOnly : OrderFlags.None, Price.FromWhole(buy ? 490 - i % 20 : 510 + i % 20),
                    Quantity.Parse("1"), (ulong)i + 1, SelfTradePrevention.CancelResting)),
            });
        }
        txs.Add(sign(traders[0], new Transfer(traders[^1].PublicKey, Money.FromWhole(250))));
        txs.Add(sign(traders[^1], new Withdraw(Money.FromWhole(100), "0x52908400098527886E0F7030069857D2E4169EE7")));
        txs.Add(sign(traders[1], new CancelAll(instruments[0])));
        txs.Add(sign(traders[2], new Unstake(Money.FromWhole(1))));
        return txs;
    }

    private static string Short(Hash32 h) => h.ToString()[..10];
}
