using Akka.Actor;
using Exchange.Core.Crypto;
using Exchange.Core.State;

namespace Exchange.Node.Market;

/// <summary>Every message the margin engine takes or answers.</summary>
public interface IMarginEngineMessage;

/// <summary>An account's risk; answered by <see cref="AccountRisk"/> or <see cref="UnknownAccount"/>.</summary>
public sealed record GetAccountRisk(PublicKey Account) : IMarginEngineMessage;

/// <summary>No account has this key (it was never funded), as far as the last block this node has seen.</summary>
public sealed record UnknownAccount(PublicKey Account, ulong Height, string Message) : IMarginEngineMessage;

/// <summary>
/// The proposer's question: at most <paramref name="Max"/> accounts to list for liquidation in its block (clamped to
/// 0 … <see cref="Core.Ledger.Block.MaxLiquidations"/>). Answered by <see cref="LiquidationCandidates"/>, which echoes
/// <paramref name="RequestId"/>.
/// </summary>
public sealed record GetLiquidationCandidates(int Max, long RequestId = 0) : IMarginEngineMessage;

/// <summary>
/// The accounts under maintenance after block <see cref="Height"/>, largest shortfall first. The proposer puts their
/// keys in the block; the state machine re-checks each one at the block's own marks and leaves the rest alone.
/// </summary>
public sealed record LiquidationCandidates(ulong Height, IReadOnlyList<LiquidationCandidate> Candidates, long RequestId = 0) : IMarginEngineMessage
{
    public IReadOnlyList<PublicKey> Keys => Candidates.Select(c => c.Account).ToArray();
}

/// <summary>Sends <see cref="AccountRiskUpdate"/>s of an account to <paramref name="Subscriber"/> until it unsubscribes or stops; the sender gets <see cref="AccountSubscribed"/>.</summary>
public sealed record SubscribeAccount(PublicKey Account, IActorRef Subscriber) : IMarginEngineMessage;

public sealed record UnsubscribeAccount(PublicKey Account, IActorRef Subscriber) : IMarginEngineMessage;

public sealed record AccountSubscribed(PublicKey Account) : IMarginEngineMessage;

public sealed record AccountUnsubscribed(PublicKey Account) : IMarginEngineMessage;

/// <summary>An account's risk after a block that touched it or refreshed it (the user.portfolio channel).</summary>
public sealed record AccountRiskUpdate(AccountRisk Risk) : IMarginEngineMessage;
