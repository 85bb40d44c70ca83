using Akka.Actor;
using Akka.Configuration;
using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Payloads;
using Exchange.Core.Numerics;
using Exchange.Node.Hosting;
using Exchange.Node.Ledger;
using Exchange.Node.Mempool;

namespace Exchange.Node.Cli;

/// <summary>
/// A client of one node: a small actor system with remoting only (no cluster membership, an ephemeral port, the
/// node's system name and wire serializer), talking to the node's <c>/user/ledger</c> and <c>/user/mempool</c>.
/// </summary>
public sealed class ExchangeClient : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly string _root;
    public TimeSpan Timeout { get; }

    private ExchangeClient(ActorSystem system, string root, TimeSpan timeout)
    {
        _system = system;
        _root = root;
        Timeout = timeout;
    }

    /// <summary>The client's configuration: the node's reference config with the remote provider on loopback, port 0.</summary>
    public static Config ClientConfig(string systemName) => ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          actor.provider = remote
          actor.serialization-settings.allow-unregistered-types = false
          remote.socket-tcp {
            hostname = "127.0.0.1"
            port = 0
            maximum-frame-size = 17825792b
            send-buffer-size = 1048576b
            receive-buffer-size = 1048576b
          }
          coordinated-shutdown.run-by-clr-shutdown-hook = off
        }
        exchange.node.system-name = "{{systemName}}"
        """).WithFallback(NodeReference.Config);

    /// <param name="node">host:port of the node's remoting endpoint.</param>
    public static ExchangeClient Connect(string node, TimeSpan timeout, string? systemName = null)
    {
        var (host, port) = ParseEndpoint(node);
        systemName ??= NodeReference.Config.GetString("exchange.node.system-name", "exchange");
        var system = ActorSystem.Create(systemName, ClientConfig(systemName));
        return new ExchangeClient(system, $"akka.tcp://{systemName}@{host}:{port}/user/", timeout);
    }

    public static (string Host, int Port) ParseEndpoint(string node)
    {
        var colon = node.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(node[(colon + 1)..], out var port) || port is < 1 or > 65535)
            throw new FormatException($"--node '{node}' is not host:port");
        return (node[..colon], port);
    }

    public async Task<object> AskLedger(object query) => await Ask(NodePaths.Ledger, query);

    public async Task<object> Submit(Transaction tx) => await Ask(NodePaths.Mempool, new SubmitTx(tx.Encode()));

    private async Task<object> Ask(string actor, object message)
    {
        try
        {
            return await _system.ActorSelection(_root + actor).Ask<object>(message, Timeout);
        }
        catch (AskTimeoutException)
        {
            throw new TimeoutException($"{_root}{actor} did not answer within {Timeout.TotalSeconds:0.#} s");
        }
    }

    public async ValueTask DisposeAsync() => await _system.Terminate();
}

/// <summary>Builds the signed transactions of <c>exchange tx</c>.</summary>
public static class TxBuilder
{
    public static Transaction Sign(string chainId, KeyPair key, ulong nonce, Payload payload)
    {
        var aux = new byte[32];
        System.Security.Cryptography.RandomNumberGenerator.Fill(aux);
        return Transaction.Create(chainId, key.PublicKey, nonce, payload).SignWith(key, aux);
    }

    /// <summary>A bridge deposit to <paramref name="to"/>; <paramref name="externalId"/> is a 64-hex bridge transfer id, or any text, hashed.</summary>
    public static Deposit Deposit(PublicKey to, string amount, string externalId) =>
        new(to, Money.Parse(amount), Hash32.TryParseHex(externalId, out var id) ? id : Hash32.Compute(System.Text.Encoding.UTF8.GetBytes(externalId)));

    public static PlaceOrder Place(string instrument, string side, string price, string size, string type = "limit", string tif = "gtc",
        bool postOnly = false, bool reduceOnly = false, ulong clientOrderId = 0)
    {
        var s = side.ToLowerInvariant() switch
        {
            "buy" or "b" => Side.Buy,
            "sell" or "s" => Side.Sell,
            _ => throw new FormatException($"side '{side}' is not buy or sell"),
        };
        var t = type.ToLowerInvariant() switch
        {
            "limit" => OrderType.Limit,
            "market" => OrderType.Market,
            _ => throw new FormatException($"order type '{type}' is not limit or market"),
        };
        var f = tif.ToLowerInvariant() switch
        {
            "gtc" => TimeInForce.GoodTilCancelled,
            "ioc" => TimeInForce.ImmediateOrCancel,
            "fok" => TimeInForce.FillOrKill,
            _ => throw new FormatException($"time in force '{tif}' is not gtc, ioc or fok"),
        };
        var flags = (postOnly ? OrderFlags.PostOnly : OrderFlags.None) | (reduceOnly ? OrderFlags.ReduceOnly : OrderFlags.None);
        var p = t == OrderType.Market && string.IsNullOrEmpty(price) ? Price.Zero : Price.Parse(price);
        return new PlaceOrder(instrument, s, t, f, flags, p, Quantity.Parse(size), clientOrderId, SelfTradePrevention.CancelResting);
    }

    public static CancelOrder Cancel(ulong orderId) => new(orderId);

    public static Withdraw Withdraw(string amount, string destination) => new(Money.Parse(amount), destination);
}
