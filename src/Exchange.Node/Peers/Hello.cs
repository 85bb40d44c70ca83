using Exchange.Core.Crypto;
using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;
using Exchange.Node.Serialization;

namespace Exchange.Node.Peers;

/// <summary>Why a <see cref="Hello"/> was not accepted.</summary>
public enum HelloCheck
{
    Valid = 0,
    /// <summary>The sender runs another chain.</summary>
    WrongChain = 1,
    /// <summary>The hello names another receiver, or an earlier incarnation of this one: a replay.</summary>
    NotForThisNode = 2,
    /// <summary>The hello claims to come from an address other than the one it arrived from.</summary>
    WrongSender = 3,
    /// <summary>The signature does not verify for the claimed key (or the key is not a curve point).</summary>
    InvalidSignature = 4,
    /// <summary>The roles signed in the hello are not the roles the sender has in the cluster.</summary>
    RoleMismatch = 5,
    /// <summary>The sending incarnation is not (or no longer) an Up member of the cluster.</summary>
    NotAMember = 6,
}

/// <summary>
/// The signed handshake two cluster members exchange when they see each other Up. The sender signs, with its node
/// key, the chain id, its key and roles, its own address and incarnation uid, and the receiver's address and
/// incarnation uid. The receiver's uid is drawn at random each time its actor system starts, so it serves as the
/// challenge: a hello verifies at exactly one incarnation of one receiver, and a captured hello cannot be replayed
/// to another node or to the same node after a restart. No clock or nonce is needed.
/// <para>
/// A verified hello proves which key runs at which address. It does not make anyone a validator: the validator
/// set and its voting power are the stake recorded in the ledger, and cluster membership never changes them.
/// </para>
/// </summary>
public sealed record Hello(
    string ChainId,
    PublicKey Key,
    IReadOnlyList<string> Roles,
    string From,
    long FromUid,
    string To,
    long ToUid,
    bool ReplyWanted,
    Signature Signature) : IWireMessage
{
    public const byte CurrentVersion = 1;
    public const string SigningTag = "exchange/hello/v1";
    public const int MaxRoles = 8;
    public const int MaxRoleLength = 32;
    public const int MaxAddressLength = 255;
    public const int MaxEncodedLength = 1024;

    /// <summary>A hello from <paramref name="key"/>, signed; roles are sorted so one hello has one encoding.</summary>
    public static Hello Create(string chainId, KeyPair key, IEnumerable<string> roles, string from, long fromUid, string to, long toUid,
        bool replyWanted, ReadOnlySpan<byte> auxRand)
    {
        var unsigned = new Hello(chainId, key.PublicKey, [.. roles.Order(StringComparer.Ordinal)], from, fromUid, to, toUid, replyWanted, Signature.Empty);
        return unsigned with { Signature = key.Sign(unsigned.SigningHash(), auxRand) };
    }

    public Hash32 SigningHash()
    {
        var w = new CanonicalWriter(256);
        WriteUnsigned(w);
        return Hash32.Tagged(SigningTag, w.Written);
    }

    /// <summary>
    /// The checks that need only the hello and what the receiver knows of itself and of the connection: chain,
    /// receiver incarnation, the address the message really came from, and the signature. Membership and roles
    /// are checked by the directory against the cluster state.
    /// </summary>
    public HelloCheck Check(string chainId, string selfAddress, long selfUid, string senderAddress)
    {
        if (ChainId != chainId) return HelloCheck.WrongChain;
        if (To != selfAddress || ToUid != selfUid) return HelloCheck.NotForThisNode;
        if (From != senderAddress) return HelloCheck.WrongSender;
        return Schnorr.Verify(Key, SigningHash(), Signature) == SignatureCheck.Valid ? HelloCheck.Valid : HelloCheck.InvalidSignature;
    }

    public byte[] Encode()
    {
        var w = new CanonicalWriter(320);
        WriteUnsigned(w);
        w.WriteSignature(Signature);
        return w.ToArray();
    }

    private void WriteUnsigned(CanonicalWriter w)
    {
        w.WriteByte(CurrentVersion);
        w.WriteText(ChainId, Names.MaxChainIdLength);
        w.WritePublicKey(Key);
        if (Roles.Count > MaxRoles) throw new ArgumentException($"at most {MaxRoles} roles");
        w.WriteVarUInt((ulong)Roles.Count);
        foreach (var role in Roles) w.WriteText(role, MaxRoleLength);
        w.WriteText(From, MaxAddressLength);
        w.WriteVarInt(FromUid);
        w.WriteText(To, MaxAddressLength);
        w.WriteVarInt(ToUid);
        w.WriteBool(ReplyWanted);
    }

    /// <summary>Decodes exactly one hello: known version, roles sorted and distinct, no trailing bytes; throws <see cref="DecodeException"/>.</summary>
    public static Hello Decode(ReadOnlySpan<byte> bytes) => Decoding.Exactly(bytes, MaxEncodedLength, "hello", Read);

    private static Hello Read(ref CanonicalReader r)
    {
        var version = r.ReadByte("hello.version");
        if (version != CurrentVersion) throw new DecodeException(DecodeError.UnknownVersion, $"hello version {version}");
        var chainId = r.ReadText("hello.chain_id", Names.MaxChainIdLength);
        var key = r.ReadPublicKey("hello.key");
        var roles = new string[r.ReadLength("hello.roles", MaxRoles)];
        for (var i = 0; i < roles.Length; i++)
        {
            roles[i] = r.ReadText("hello.role", MaxRoleLength);
            if (i > 0 && string.CompareOrdinal(roles[i - 1], roles[i]) >= 0)
                throw new DecodeException(DecodeError.NonCanonicalOrder, "hello roles must be sorted, each once");
        }
        return new Hello(chainId, key, roles,
            r.ReadText("hello.from", MaxAddressLength), r.ReadVarInt("hello.from_uid"),
            r.ReadText("hello.to", MaxAddressLength), r.ReadVarInt("hello.to_uid"),
            r.ReadBool("hello.reply_wanted"), r.ReadSignature("hello.signature"));
    }

    public bool Equals(Hello? other) =>
        other is not null && ChainId == other.ChainId && Key == other.Key && Roles.SequenceEqual(other.Roles) && From == other.From &&
        FromUid == other.FromUid && To == other.To && ToUid == other.ToUid && ReplyWanted == other.ReplyWanted && Signature == other.Signature;

    public override int GetHashCode() => Signature.GetHashCode();
}
