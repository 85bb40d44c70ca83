using Exchange.Core.Ledger;
using Exchange.Core.Ledger.Codec;
using Exchange.Node.Serialization;

namespace Exchange.Node.Hosting;

/// <summary>Asks a seed node about the cluster it belongs to; answered with <see cref="IslandInfo"/> when the chain is the same.</summary>
public sealed record IslandProbe(string ChainId) : IWireMessage
{
    public const int MaxEncodedLength = 64;

    public byte[] Encode()
    {
        var w = new CanonicalWriter(40);
        w.WriteByte(IslandInfo.CurrentVersion);
        w.WriteText(ChainId, Names.MaxChainIdLength);
        return w.ToArray();
    }

    public static IslandProbe Decode(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxEncodedLength, "island probe", static (ref CanonicalReader r) =>
        {
            IslandInfo.Version(ref r);
            return new IslandProbe(r.ReadText("island_probe.chain_id", Names.MaxChainIdLength));
        });
}

/// <summary>
/// What a node knows of its cluster: how many validators and members are Up, and the lowest member address. Two
/// clusters compare by validators, then members (more is larger), then lowest address (ordinal, lower wins): a strict
/// order, so of two islands that probe each other exactly one finds the other larger.
/// </summary>
public sealed record IslandInfo(string ChainId, int Validators, int Members, string LowestAddress) : IWireMessage, IComparable<IslandInfo>
{
    public const byte CurrentVersion = 1;
    public const int MaxEncodedLength = 512;

    public int CompareTo(IslandInfo? other)
    {
        if (other is null) return 1;
        var byValidators = Validators.CompareTo(other.Validators);
        if (byValidators != 0) return byValidators;
        var byMembers = Members.CompareTo(other.Members);
        return byMembers != 0 ? byMembers : -string.CompareOrdinal(LowestAddress, other.LowestAddress);
    }

    public byte[] Encode()
    {
        var w = new CanonicalWriter(96);
        w.WriteByte(CurrentVersion);
        w.WriteText(ChainId, Names.MaxChainIdLength);
        w.WriteVarUInt((ulong)Validators);
        w.WriteVarUInt((ulong)Members);
        w.WriteText(LowestAddress, Peers.Hello.MaxAddressLength);
        return w.ToArray();
    }

    public static IslandInfo Decode(ReadOnlySpan<byte> bytes) =>
        Decoding.Exactly(bytes, MaxEncodedLength, "island info", static (ref CanonicalReader r) =>
        {
            Version(ref r);
            return new IslandInfo(
                r.ReadText("island_info.chain_id", Names.MaxChainIdLength),
                (int)r.ReadVarUInt("island_info.validators", int.MaxValue),
                (int)r.ReadVarUInt("island_info.members", int.MaxValue),
                r.ReadText("island_info.lowest_address", Peers.Hello.MaxAddressLength));
        });

    internal static void Version(ref CanonicalReader r)
    {
        var version = r.ReadByte("island.version");
        if (version != CurrentVersion) throw new DecodeException(DecodeError.UnknownVersion, $"island message version {version}");
    }
}
