using System.CommandLine;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Node.Hosting;
using Exchange.Node.Keys;
using Exchange.Node.Ledger;
using Exchange.Node.Mempool;

namespace Exchange.Node.Cli;

/// <summary>
/// The client commands: <c>exchange status</c>, <c>exchange block HEIGHT</c> and <c>exchange tx deposit|place|cancel|withdraw</c>,
/// each against one node's remoting endpoint (<c>--node host:port</c>). Exit codes: 0 done, 1 refused or not found,
/// 2 bad arguments, 3 the node did not answer in time.
/// </summary>
public static class ClientCommands
{
    public const int Refused = 1;
    public const int BadArguments = 2;
    public const int NoAnswer = 3;

    private static Option<string> NodeOption() => new("--node", "-n") { Description = "The node's remoting endpoint, host:port", Required = true };

    private static Option<double> TimeoutOption() => new("--timeout") { Description = "Seconds to wait for the node", DefaultValueFactory = _ => 10 };

    public static Command Status()
    {
        var node = NodeOption();
        var timeout = TimeoutOption();
        var command = new Command("status", "Print a node's ledger height, app hash and block time") { node, timeout };
        command.SetAction((parse, _) => Run(parse.GetValue(node)!, parse.GetValue(timeout), async client =>
        {
            var status = Assert<LedgerStatus>(await client.AskLedger(GetStatus.Instance));
            Console.WriteLine($"height    {status.Height}");
            Console.WriteLine($"app-hash  {status.AppHash}");
            Console.WriteLine($"time      {DateTimeOffset.FromUnixTimeMilliseconds(status.TimeUnixMs):O}");
            return 0;
        }));
        return command;
    }

    public static Command Block()
    {
        var height = new Argument<ulong>("height") { Description = "The block's height" };
        var node = NodeOption();
        var timeout = TimeoutOption();
        var command = new Command("block", "Print one committed block") { height, node, timeout };
        command.SetAction((parse, _) => Run(parse.GetValue(node)!, parse.GetValue(timeout), async client =>
        {
            switch (await client.AskLedger(new GetBlock(parse.GetValue(height))))
            {
                case BlockFound found:
                    var b = found.Block;
                    var h = b.Block.Header;
                    Console.WriteLine($"height        {h.Height}");
                    Console.WriteLine($"hash          {b.Block.Hash()}");
                    Console.WriteLine($"time          {DateTimeOffset.FromUnixTimeMilliseconds(h.TimeUnixMs):O}");
                    Console.WriteLine($"proposer      {h.Proposer}");
                    Console.WriteLine($"app-hash      {b.AppHash}");
                    Console.WriteLine($"transactions  {b.Block.Transactions.Count}");
                    foreach (var tx in b.Block.Transactions)
                        Console.WriteLine($"  {tx.Hash()}  {tx.Sender}  nonce {tx.Nonce}  {tx.Payload}");
                    Console.WriteLine($"commit        round {b.Commit.Round}, {b.Commit.Signatures.Count} signatures");
                    return 0;
                case BlockNotFound missing:
                    Console.Error.WriteLine($"no block {missing.Height}: the node's ledger is at height {missing.LedgerHeight}");
                    return Refused;
                case BlocksUnavailable unavailable:
                    Console.Error.WriteLine($"the node could not read block {unavailable.FromHeight}: {unavailable.Reason}");
                    return Refused;
                case var other:
                    throw new InvalidOperationException($"unexpected answer {other.GetType().Name}");
            }
        }));
        return command;
    }

    public static Command Tx()
    {
        var tx = new Command("tx", "Sign a transaction and submit it to a node's mempool");

        var to = new Option<string>("--to") { Description = "The credited account's public key (hex)", Required = true };
        var amount = new Option<string>("--amount") { Description = "USDC, e.g. 1000 or 12.5", Required = true };
        var externalId = new Option<string>("--external-id") { Description = "The bridge transfer's id: 64 hex digits or any text (hashed); random if absent" };
        var deposit = new Command("deposit", "Credit a bridge deposit (signed with the bridge key)") { to, amount, externalId };
        AddCommon(deposit, parse =>
        {
            if (!PublicKey.TryParseHex(parse.GetValue(to)!, out var key)) throw new FormatException($"--to '{parse.GetValue(to)}' is not a public key");
            return TxBuilder.Deposit(key, parse.GetValue(amount)!, parse.GetValue(externalId) ?? Guid.NewGuid().ToString());
        });

        var instrument = new Option<string>("--instrument", "-i") { Description = "Instrument name", Required = true };
        var side = new Option<string>("--side") { Description = "buy or sell", Required = true };
        var price = new Option<string>("--price") { Description = "Limit price (none for a market order)", DefaultValueFactory = _ => "" };
        var size = new Option<string>("--size") { Description = "Contracts", Required = true };
        var type = new Option<string>("--type") { Description = "limit or market", DefaultValueFactory = _ => "limit" };
        var tif = new Option<string>("--tif") { Description = "gtc, ioc or fok", DefaultValueFactory = _ => "gtc" };
        var postOnly = new Option<bool>("--post-only") { Description = "Refuse to take liquidity" };
        var reduceOnly = new Option<bool>("--reduce-only") { Description = "Only shrink the position" };
        var clientId = new Option<ulong>("--client-id") { Description = "Your own order reference" };
        var place = new Command("place", "Place an order") { instrument, side, price, size, type, tif, postOnly, reduceOnly, clientId };
        AddCommon(place, parse => TxBuilder.Place(parse.GetValue(instrument)!, parse.GetValue(side)!, parse.GetValue(price)!, parse.GetValue(size)!,
            parse.GetValue(type)!, parse.GetValue(tif)!, parse.GetValue(postOnly), parse.GetValue(reduceOnly), parse.GetValue(clientId)));

        var order = new Option<ulong>("--order") { Description = "The order id to cancel", Required = true };
        var cancel = new Command("cancel", "Cancel a resting order") { order };
        AddCommon(cancel, parse => TxBuilder.Cancel(parse.GetValue(order)));

        var withdrawAmount = new Option<string>("--amount") { Description = "USDC to withdraw", Required = true };
        var address = new Option<string>("--address") { Description = "The external destination address", Required = true };
        var withdraw = new Command("withdraw", "Withdraw free collateral through the bridge") { withdrawAmount, address };
        AddCommon(withdraw, parse => TxBuilder.Withdraw(parse.GetValue(withdrawAmount)!, parse.GetValue(address)!));

        tx.Subcommands.Add(deposit);
        tx.Subcommands.Add(place);
        tx.Subcommands.Add(cancel);
        tx.Subcommands.Add(withdraw);
        return tx;
    }

    /// <summary>--node, --key, --nonce, --chain and --timeout; signs the payload and submits it.</summary>
    private static void AddCommon(Command command, Func<ParseResult, Payload> payload)
    {
        var node = NodeOption();
        var keyFile = new Option<FileInfo>("--key", "-k") { Description = "The sender's key file", Required = true };
        var nonce = new Option<ulong?>("--nonce") { Description = "The transaction's nonce; by default the account's committed nonce + 1, asked of the node" };
        var chain = new Option<string>("--chain")
        {
            Description = "The chain id",
            DefaultValueFactory = _ => NodeReference.Config.GetString("exchange.node.chain-id", "exchange-devnet-1"),
        };
        var timeout = TimeoutOption();
        command.Options.Add(node);
        command.Options.Add(keyFile);
        command.Options.Add(nonce);
        command.Options.Add(chain);
        command.Options.Add(timeout);
        command.SetAction((parse, _) =>
        {
            KeyPair key;
            Payload body;
            try
            {
                key = KeyFile.Read(parse.GetValue(keyFile)!.FullName);
                body = payload(parse);
            }
            catch (Exception e) when (e is KeyFileException or FormatException or IOException or ArgumentException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return Task.FromResult(BadArguments);
            }
            return Run(parse.GetValue(node)!, parse.GetValue(timeout), client => Submit(client, parse.GetValue(chain)!, key, parse.GetValue(nonce), body));
        });
    }

    /// <summary>Signs and submits; prints the hash on acceptance, the reason on rejection.</summary>
    public static async Task<int> Submit(ExchangeClient client, string chainId, KeyPair key, ulong? nonce, Payload payload)
    {
        if (nonce is null)
        {
            var account = Assert<AccountInfo>(await client.AskLedger(new GetAccount(key.PublicKey)));
            nonce = account.Nonce + 1;
        }
        var tx = TxBuilder.Sign(chainId, key, nonce.Value, payload);
        switch (await client.Submit(tx))
        {
            case TxAccepted accepted:
                Console.WriteLine($"accepted {accepted.Hash} (nonce {nonce})");
                return 0;
            case TxRejected rejected:
                Console.Error.WriteLine($"rejected {rejected.Hash}: {rejected.Code}: {rejected.Reason}");
                return Refused;
            case var other:
                throw new InvalidOperationException($"unexpected answer {other.GetType().Name}");
        }
    }

    private static T Assert<T>(object answer) =>
        answer is T t ? t : throw new InvalidOperationException($"the node answered with a {answer.GetType().Name}, not a {typeof(T).Name}");

    private static async Task<int> Run(string node, double timeoutSeconds, Func<ExchangeClient, Task<int>> action)
    {
        ExchangeClient client;
        try
        {
            client = ExchangeClient.Connect(node, TimeSpan.FromSeconds(timeoutSeconds));
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadArguments;
        }
        await using (client)
        {
            try
            {
                return await action(client);
            }
            catch (TimeoutException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return NoAnswer;
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return Refused;
            }
        }
    }
}
