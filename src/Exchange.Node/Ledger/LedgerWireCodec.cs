using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;

namespace Exchange.Node.Ledger;

/// <summary>
/// The canonical binary forms of the ledger's queries and answers that cross the network (block sync between nodes,
/// the command-line client), built from the Core codec's primitives. Each starts with a version byte; blocks travel
/// in the journal's own <see cref="LedgerSerializer"/> form of <see cref="BlockCommitted"/>. Decoding is strict:
/// a size limit before parsing, bounded counts and lengths, no trailing bytes, every refusal a <see cref="DecodeException"/>.
/// </summary>
public static class LedgerWireCodec
{
    public const byte CurrentVersion = 1;

    public const string GetStatusManifest = "l-status?";
    public const string LedgerStatusManifest = "l-status";
    public const string GetBlockManifest = "l-block?";
    public const string BlockFoundManifest = "l-block";
    public const string BlockNotFoundManifest = "l-no-block";
    public const string GetBlocksManifest = "l-blocks?";
    public const string BlockRangeManifest = "l-blocks";
    public const string BlocksUnavailableManifest = "l-blocks-none";
    public const string GetAccountManifest = "l-account?";
    public const string AccountInfoManifest = "l-account";

    /// <summary>The longest reason text a <see cref="BlocksUnavailable"/> carries; longer ones are cut when encoded.</summary>
    public const int MaxReasonLength = 512;

    /// <summary>The largest <see cref="BlockCommitted"/> encoding: a block, its commit, the app hash and two length prefixes.</summary>
    public const int MaxBlockCommittedLength = Block.MaxEncodedLength + Commit.MaxEncodedLength + 64;

    /// <summary>
    /// The bytes of blocks one <see cref="BlockRange"/> carries at most, beyond its first block: far below the remote
    /// frame size (<c>maximum-frame-size</c>, 17 MiB), so a reply always fits in one frame.
    /// </summary>
    public const int BlockRangeBudget = 8 * 1024 * 1024;

    /// <summary>The most blocks a <see cref="BlockRange"/> may carry when decoded.</summary>
    public const int MaxBlocksPerRange = 10_000;

    public const int MaxSmallLength = 64;
    public const int MaxBlockFoundLength = MaxBlockCommittedLength + 8;
    public const int MaxBlockRangeLength = 32 + BlockRangeBudget + MaxBlockCommittedLength;
    public const int MaxBlocksUnavailableLength = 16 + MaxReasonLength + 4;
    public const int MaxAccountInfoLength = 1 + PublicKey.Length + 1 + 10 + 10 + 10;

    /// <summary>
    /// The longest prefix of <paramref name="blocks"/> whose encodings fit in <paramref name="budget"/> bytes, and
    /// always the first block: what <see cref="LedgerActor"/> answers a <see cref="GetBlocks"/> with.
    /// </summary>
    public static IReadOnlyList<BlockCommitted> WithinBudget(IReadOnlyList<BlockCommitted> blocks, int budget = BlockRangeBudget)
    {
        long total = 0;
        for (var i = 0; i < blocks.Count; i++)
        {
            total += LedgerSerializer.Encode(blocks[i]).Length + 5;
            if (total > budget && i > 0) return [.. blocks.Take(i)];
        }
        return blocks;
    }

    public static byte[] Encode(GetStatus _) => [CurrentVersion];

    public static GetStatus DecodeGetStatus(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, 1, "ledger status query", static (ref CanonicalReader r) =>
        {
            Version(ref r, "get_status.version");
            return GetStatus.Instance;
        });

    public static byte[] Encode(LedgerStatus m)
    {
        var w = new CanonicalWriter(MaxSmallLength);
        w.WriteByte(CurrentVersion);
        w.WriteVarUInt(m.Height);
        w.WriteHash(m.AppHash);
        w.WriteVarInt(m.TimeUnixMs);
        return w.ToArray();
    }

    public static LedgerStatus DecodeLedgerStatus(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxSmallLength, "ledger status", static (ref CanonicalReader r) =>
        {
            Version(ref r, "status.version");
            return new LedgerStatus(r.ReadVarUInt("status.height"), r.ReadHash("status.app_hash"), r.ReadVarInt("status.time"));
        });

    public static byte[] Encode(GetBlock m) => VersionAnd(w => w.WriteVarUInt(m.Height));

    public static GetBlock DecodeGetBlock(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxSmallLength, "block query", static (ref CanonicalReader r) =>
        {
            Version(ref r, "get_block.version");
            return new GetBlock(r.ReadVarUInt("get_block.height"));
        });

    public static byte[] Encode(BlockFound m)
    {
        var block = LedgerSerializer.Encode(m.Block);
        var w = new CanonicalWriter(block.Length + 8);
        w.WriteByte(CurrentVersion);
        w.WriteBytes(block);
        return w.ToArray();
    }

    public static BlockFound DecodeBlockFound(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxBlockFoundLength, "found block", static (ref CanonicalReader r) =>
        {
            Version(ref r, "block_found.version");
            return new BlockFound(LedgerSerializer.DecodeBlockCommitted(r.ReadBytes("block_found.block", MaxBlockCommittedLength)));
        });

    public static byte[] Encode(BlockNotFound m) => VersionAnd(w =>
    {
        w.WriteVarUInt(m.Height);
        w.WriteVarUInt(m.LedgerHeight);
    });

    public static BlockNotFound DecodeBlockNotFound(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxSmallLength, "block not found", static (ref CanonicalReader r) =>
        {
            Version(ref r, "block_not_found.version");
            return new BlockNotFound(r.ReadVarUInt("block_not_found.height"), r.ReadVarUInt("block_not_found.ledger_height"));
        });

    public static byte[] Encode(GetBlocks m)
    {
        if (m.MaxBlocks < 0) throw new ArgumentException($"a block request cannot ask for {m.MaxBlocks} blocks", nameof(m));
        return VersionAnd(w =>
        {
            w.WriteVarUInt(m.FromHeight);
            w.WriteVarUInt((ulong)m.MaxBlocks);
        });
    }

    public static GetBlocks DecodeGetBlocks(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxSmallLength, "blocks query", static (ref CanonicalReader r) =>
        {
            Version(ref r, "get_blocks.version");
            return new GetBlocks(r.ReadVarUInt("get_blocks.from"), (int)r.ReadVarUInt("get_blocks.max", int.MaxValue));
        });

    public static byte[] Encode(BlockRange m)
    {
        if (m.Blocks.Count > MaxBlocksPerRange) throw new ArgumentException($"{m.Blocks.Count} blocks exceed the range limit of {MaxBlocksPerRange}", nameof(m));
        var encoded = m.Blocks.Select(LedgerSerializer.Encode).ToArray();
        var w = new CanonicalWriter(32 + encoded.Sum(b => b.Length + 5));
        w.WriteByte(CurrentVersion);
        w.WriteVarUInt(m.FromHeight);
        w.WriteVarUInt(m.LedgerHeight);
        w.WriteVarUInt((ulong)encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (m.Blocks[i].Height != m.FromHeight + (ulong)i)
                throw new ArgumentException($"block {i} of a range from {m.FromHeight} is at height {m.Blocks[i].Height}", nameof(m));
            w.WriteBytes(encoded[i]);
        }
        return w.ToArray();
    }

    /// <summary>Also checks that the blocks are consecutive from the range's first height.</summary>
    public static BlockRange DecodeBlockRange(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxBlockRangeLength, "block range", static (ref CanonicalReader r) =>
        {
            Version(ref r, "block_range.version");
            var from = r.ReadVarUInt("block_range.from");
            var ledgerHeight = r.ReadVarUInt("block_range.ledger_height");
            var blocks = new BlockCommitted[r.ReadLength("block_range.count", MaxBlocksPerRange)];
            for (var i = 0; i < blocks.Length; i++)
            {
                blocks[i] = LedgerSerializer.DecodeBlockCommitted(r.ReadBytes("block_range.block", MaxBlockCommittedLength));
                if (blocks[i].Height != from + (ulong)i)
                    throw new DecodeException(DecodeError.ValueOutOfRange, $"block_range.block: block {i} of a range from {from} is at height {blocks[i].Height}");
            }
            return new BlockRange(from, blocks, ledgerHeight);
        });

    public static byte[] Encode(BlocksUnavailable m) => VersionAnd(w =>
    {
        w.WriteVarUInt(m.FromHeight);
        w.WriteText(Printable(m.Reason, MaxReasonLength), MaxReasonLength);
    });

    public static BlocksUnavailable DecodeBlocksUnavailable(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxBlocksUnavailableLength, "blocks unavailable", static (ref CanonicalReader r) =>
        {
            Version(ref r, "blocks_unavailable.version");
            return new BlocksUnavailable(r.ReadVarUInt("blocks_unavailable.from"), r.ReadText("blocks_unavailable.reason", MaxReasonLength));
        });

    public static byte[] Encode(GetAccount m) => VersionAnd(w => w.WritePublicKey(m.Key));

    public static GetAccount DecodeGetAccount(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, 1 + PublicKey.Length, "account query", static (ref CanonicalReader r) =>
        {
            Version(ref r, "get_account.version");
            return new GetAccount(r.ReadPublicKey("get_account.key"));
        });

    public static byte[] Encode(AccountInfo m) => VersionAnd(w =>
    {
        w.WritePublicKey(m.Key);
        w.WriteBool(m.Exists);
        w.WriteVarUInt(m.Nonce);
        w.WriteVarInt(m.Balance);
        w.WriteVarUInt(m.Height);
    });

    public static AccountInfo DecodeAccountInfo(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxAccountInfoLength, "account info", static (ref CanonicalReader r) =>
        {
            Version(ref r, "account.version");
            var key = r.ReadPublicKey("account.key");
            var exists = r.ReadBool("account.exists");
            var nonce = r.ReadVarUInt("account.nonce");
            var balance = r.ReadVarInt("account.balance");
            var height = r.ReadVarUInt("account.height");
            if (!exists && (nonce != 0 || balance != 0))
                throw new DecodeException(DecodeError.ValueOutOfRange, "account: an account that does not exist has a nonce or balance");
            return new AccountInfo(key, exists, nonce, balance, height);
        });

    private static byte[] VersionAnd(Action<CanonicalWriter> write)
    {
        var w = new CanonicalWriter(MaxSmallLength);
        w.WriteByte(CurrentVersion);
        write(w);
        return w.ToArray();
    }

    /// <summary>Printable ASCII of at most <paramref name="max"/> characters: other characters become '?'.</summary>
    private static string Printable(string text, int max)
    {
        var chars = text.Length > max ? text[..max].ToCharArray() : text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (chars[i] is < ' ' or > '~') chars[i] = '?';
        return new string(chars);
    }

    private static void Version(ref CanonicalReader r, string field)
    {
        var version = r.ReadByte(field);
        if (version != CurrentVersion) throw new DecodeException(DecodeError.UnknownVersion, $"{field}: {version}");
    }
}
