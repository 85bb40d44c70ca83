using System.Buffers.Binary;
using Exchange.Consensus;
using Exchange.Core.Crypto;

namespace Exchange.Node.Validator;

/// <summary>
/// The bytes of a <see cref="LastSignState"/> on disk, shared by the sign-state file's slots and the consensus WAL's
/// header (big-endian): height (8), round (4), step (1), the signed message's hash (32), the signature (64).
/// </summary>
internal static class SignStateCodec
{
    public const int Length = 8 + 4 + 1 + 32 + Signature.Length;

    public static void Write(LastSignState state, Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, state.Height);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], state.Round);
        destination[12] = (byte)state.Step;
        state.SigningHash.CopyTo(destination[13..]);
        state.Signature.CopyTo(destination[45..]);
    }

    /// <summary>The state in <paramref name="source"/>, or null when its step is not one a signer records.</summary>
    public static LastSignState? Read(ReadOnlySpan<byte> source)
    {
        var step = source[12];
        if (step is < (byte)SignStep.Propose or > (byte)SignStep.Precommit) return null;
        return new LastSignState(
            BinaryPrimitives.ReadUInt64BigEndian(source),
            BinaryPrimitives.ReadUInt32BigEndian(source[8..]),
            (SignStep)step,
            new Hash32(source.Slice(13, 32)),
            new Signature(source.Slice(45, Signature.Length)));
    }
}
