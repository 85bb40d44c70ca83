using Akka.Actor;
using Exchange.Core.Crypto;
using Exchange.Node.Hosting;
using Exchange.Node.Validator;

namespace Exchange.Node.Peers;

/// <summary>
/// Turns the peer directory into what the validator actor needs: the validator actor of every verified peer with the
/// <c>validator</c> role, by node key (<see cref="ValidatorPeersChanged"/>), sent again whenever a peer is verified or
/// lost. The validator actor itself decides which of these keys count: the validator set is the stake in the ledger,
/// and a key without stake is ignored there. The remote reference names the actor at
/// <c>/user/{validator name}</c> on the peer's address; no round trip is needed to build it.
/// </summary>
public sealed class ValidatorPeersActor : PeerRefsActor
{
    public const string DefaultValidatorName = "validator";

    private readonly string _validatorName;

    public static Props Props(IActorRef validator, string validatorName = DefaultValidatorName) =>
        Akka.Actor.Props.Create(() => new ValidatorPeersActor(validator, validatorName)).WithDeploy(Deploy.Local);

    public ValidatorPeersActor(IActorRef validator, string validatorName) : base(validator) => _validatorName = validatorName;

    protected override bool Wanted(IReadOnlyList<string> roles) => roles.Contains(NodeSettings.ValidatorRole);

    /// <summary>Sorted by address, so when one key is verified at two addresses the same one wins on every node.</summary>
    protected override object Message(IReadOnlyList<(PublicKey Key, Address Address)> peers)
    {
        var map = new Dictionary<PublicKey, IActorRef>();
        foreach (var (key, address) in peers) map[key] = RemoteRef(address, _validatorName);
        return new ValidatorPeersChanged(map);
    }
}
