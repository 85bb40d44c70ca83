using System.Buffers.Binary;
using Exchange.Core.Crypto;
using Exchange.Node.Crypto;

namespace Exchange.Bench.Crypto;

/// <summary>
/// Distinct signers, messages and their signatures, derived from their index alone so every run
/// (and the C loop, which reads them from a file) works on the same inputs.
/// </summary>
internal sealed class SignatureSet
{
    /// <summary>BIP340 auxiliary randomness; its value does not change the cost of signing.</summary>
    public static readonly byte[] AuxRand = new byte[32];

    private SignatureSet(KeyPair[] keys, SignedMessage[] items)
    {
        Keys = keys;
        Items = items;
    }

    public KeyPair[] Keys { get; }
    public SignedMessage[] Items { get; }
    public int Count => Items.Length;

    /// <summary>Signer i's secret is the tagged hash of i; its message is the tagged hash of i under another tag.</summary>
    public static SignatureSet Create(int count)
    {
        var keys = new KeyPair[count];
        var items = new SignedMessage[count];
        Span<byte> index = stackalloc byte[4];
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(index, i);
            keys[i] = KeyPair.FromSecret(Hash32.Tagged("exchange/bench/secret", index).ToArray());
            var message = Hash32.Tagged("exchange/bench/message", index);
            items[i] = new SignedMessage(keys[i].PublicKey, message, keys[i].Sign(message, AuxRand));
        }
        return new SignatureSet(keys, items);
    }

    /// <summary>Writes the records the C loop reads: key (32 bytes), message (32), signature (64).</summary>
    public void WriteRecords(string path)
    {
        var record = new byte[PublicKey.Length + 32 + Signature.Length];
        using var file = File.Create(path);
        foreach (var item in Items)
        {
            item.Signer.CopyTo(record);
            item.Message.CopyTo(record.AsSpan(32));
            item.Signature.CopyTo(record.AsSpan(64));
            file.Write(record);
        }
    }
}
