using Exchange.Consensus;
using Exchange.Core.Ledger;
using Exchange.Node.Hosting;
using Exchange.Node.Ledger;
using Exchange.Node.Mempool;
using Exchange.Node.Peers;
using Exchange.Node.Validator;

namespace Exchange.Node.Serialization;

/// <summary>
/// Every message the node sends to peers, one line each: manifest, size limit, encoder, decoder.
/// To add a message: give it a canonical encoder and a strict decoder that throws <c>DecodeException</c>, bind its
/// type (or a marker interface it implements) to <c>exchange-wire</c> in <c>reference.conf</c> (<see cref="IWireMessage"/>
/// is bound already), and add its line here with a manifest no other type has ever used. The tests then round-trip
/// it and send it between actors with serialization forced on (docs/architecture.md, "Adding a wire message").
/// The ledger's journal events keep their own serializer (<c>LedgerSerializer</c>).
/// </summary>
public static class WireCatalog
{
    public static readonly WireRegistry Default = new(
    [
        // Ledger (Exchange.Core): the payload is the canonical encoding of docs/ledger-format.md.
        WireCodec.Of<Transaction>("tx", Transaction.MaxEncodedLength, t => t.Encode(), Transaction.Decode),
        WireCodec.Of<Block>("block", Block.MaxEncodedLength, b => b.Encode(), Block.Decode),
        WireCodec.Of<Commit>("commit", Commit.MaxEncodedLength, c => c.Encode(), Commit.Decode),

        // Ledger queries (Node/Ledger): block sync between nodes and the command-line client (LedgerWireCodec).
        WireCodec.Of<GetStatus>(LedgerWireCodec.GetStatusManifest, 1, LedgerWireCodec.Encode, LedgerWireCodec.DecodeGetStatus),
        WireCodec.Of<LedgerStatus>(LedgerWireCodec.LedgerStatusManifest, LedgerWireCodec.MaxSmallLength, LedgerWireCodec.Encode, LedgerWireCodec.DecodeLedgerStatus),
        WireCodec.Of<GetBlock>(LedgerWireCodec.GetBlockManifest, LedgerWireCodec.MaxSmallLength, LedgerWireCodec.Encode, LedgerWireCodec.DecodeGetBlock),
        WireCodec.Of<BlockFound>(LedgerWireCodec.BlockFoundManifest, LedgerWireCodec.MaxBlockFoundLength, LedgerWireCodec.Encode, LedgerWireCodec.DecodeBlockFound),
        WireCodec.Of<BlockNotFound>(LedgerWireCodec.BlockNotFoundManifest, LedgerWireCodec.MaxSmallLength, LedgerWireCodec.Encode, LedgerWireCodec.DecodeBlockNotFound),
        WireCodec.Of<GetBlocks>(LedgerWireCodec.GetBlocksManifest, LedgerWireCodec.MaxSmallLength, LedgerWireCodec.Encode, LedgerWireCodec.DecodeGetBlocks),
        WireCodec.Of<BlockRange>(LedgerWireCodec.BlockRangeManifest, LedgerWireCodec.MaxBlockRangeLength, LedgerWireCodec.Encode, LedgerWireCodec.DecodeBlockRange),
        WireCodec.Of<BlocksUnavailable>(LedgerWireCodec.BlocksUnavailableManifest, LedgerWireCodec.MaxBlocksUnavailableLength, LedgerWireCodec.Encode,
            LedgerWireCodec.DecodeBlocksUnavailable),
        WireCodec.Of<GetAccount>(LedgerWireCodec.GetAccountManifest, 1 + Exchange.Core.Crypto.PublicKey.Length, LedgerWireCodec.Encode, LedgerWireCodec.DecodeGetAccount),
        WireCodec.Of<AccountInfo>(LedgerWireCodec.AccountInfoManifest, LedgerWireCodec.MaxAccountInfoLength, LedgerWireCodec.Encode, LedgerWireCodec.DecodeAccountInfo),

        // Consensus (Exchange.Consensus): decoding also runs the message's stateless validation.
        WireCodec.Of<Proposal>("proposal", Proposal.MaxEncodedLength, p => p.Encode(), Proposal.Decode),
        WireCodec.Of<Vote>("vote", Vote.MaxEncodedLength, v => v.Encode(), Vote.Decode),

        // Validator (Node/Validator): catch-up between validators.
        WireCodec.Of<ConsensusStatus>("v-status", ValidatorWireCodec.MaxConsensusStatusLength, ValidatorWireCodec.Encode, ValidatorWireCodec.DecodeConsensusStatus),
        WireCodec.Of<DecidedBlock>("v-decided", ValidatorWireCodec.MaxDecidedBlockLength, ValidatorWireCodec.Encode, ValidatorWireCodec.DecodeDecidedBlock),
        WireCodec.Of<CompactProposal>("v-compact", ValidatorWireCodec.MaxCompactProposalLength, ValidatorWireCodec.Encode, ValidatorWireCodec.DecodeCompactProposal),
        WireCodec.Of<ProposalWanted>("v-proposal?", ValidatorWireCodec.MaxProposalWantedLength, ValidatorWireCodec.Encode, ValidatorWireCodec.DecodeProposalWanted),

        // Mempool (Node/Mempool): submissions from gateways, answers, gossip between nodes (MempoolWireCodec).
        WireCodec.Of<SubmitTx>(MempoolWireCodec.SubmitTxManifest, MempoolWireCodec.MaxSubmittedBytes + 4, MempoolWireCodec.Encode, MempoolWireCodec.DecodeSubmitTx),
        WireCodec.Of<TxAccepted>(MempoolWireCodec.TxAcceptedManifest, 32, MempoolWireCodec.Encode, MempoolWireCodec.DecodeTxAccepted),
        WireCodec.Of<TxRejected>(MempoolWireCodec.TxRejectedManifest, 32 + 4 + MempoolWireCodec.MaxReasonBytes + 4, MempoolWireCodec.Encode, MempoolWireCodec.DecodeTxRejected),
        WireCodec.Of<GossipTxs>(MempoolWireCodec.GossipTxsManifest, 16 + GossipTxs.MaxTransactions * (Transaction.MaxEncodedLength + 2), MempoolWireCodec.Encode, MempoolWireCodec.DecodeGossipTxs),
        WireCodec.Of<SubmitTxs>(MempoolWireCodec.SubmitTxsManifest, MempoolWireCodec.MaxSubmitTxsEncodedLength, MempoolWireCodec.Encode, MempoolWireCodec.DecodeSubmitTxs),
        WireCodec.Of<TxsSubmitted>(MempoolWireCodec.TxsSubmittedManifest, MempoolWireCodec.MaxTxsSubmittedEncodedLength, MempoolWireCodec.Encode, MempoolWireCodec.DecodeTxsSubmitted),
        WireCodec.Of<GetMempoolStatus>(MempoolWireCodec.GetMempoolStatusManifest, 0, m => m.Encode(), MempoolWireCodec.DecodeGetMempoolStatus),
        WireCodec.Of<MempoolStatus>(MempoolWireCodec.MempoolStatusManifest, 7 * 10, MempoolWireCodec.Encode, MempoolWireCodec.DecodeMempoolStatus),

        // Peers: the signed handshake.
        WireCodec.Of<Hello>("hello", Hello.MaxEncodedLength, h => h.Encode(), Hello.Decode),

        // Host: finding and leaving a smaller cluster after a split (IslandWatchActor).
        WireCodec.Of<IslandProbe>("island-probe", IslandProbe.MaxEncodedLength, p => p.Encode(), IslandProbe.Decode),
        WireCodec.Of<IslandInfo>("island-info", IslandInfo.MaxEncodedLength, i => i.Encode(), IslandInfo.Decode),
    ]);
}
