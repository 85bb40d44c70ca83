using System.Globalization;

namespace Exchange.Core.Tests.Crypto;

/// <summary>
/// One row of the BIP340 reference vectors (bitcoin/bips, bip-0340/test-vectors.csv).
/// The secret key and aux_rand are empty for verification-only rows; the message may be
/// empty (a zero-length message) and the comment may be empty.
/// </summary>
public sealed record Bip340Vector(
    int Index,
    byte[]? SecretKey,
    byte[] PublicKey,
    byte[]? AuxRand,
    byte[] Message,
    byte[] Signature,
    bool VerificationResult,
    string Comment)
{
    private const string Header = "index,secret key,public key,aux_rand,message,signature,verification result,comment";
    private const int Columns = 8;

    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "Data", "bip340-test-vectors.csv");

    private static readonly Lazy<IReadOnlyList<Bip340Vector>> s_all = new(() => Load(File.ReadAllText(FilePath)));

    public static IReadOnlyList<Bip340Vector> All => s_all.Value;

    /// <summary>
    /// Parses the published file: CRLF or LF line ends, blank lines ignored, empty fields allowed,
    /// and the comment (the last column) taken whole even if it carries commas or quotes.
    /// </summary>
    public static IReadOnlyList<Bip340Vector> Load(string text)
    {
        var lines = text.Split('\n')
            .Select(l => l.TrimEnd('\r'))
            .Where(l => l.Trim().Length > 0)
            .ToList();
        if (lines.Count == 0 || lines[0].Trim().TrimStart('\uFEFF') != Header)
            throw new FormatException($"unexpected BIP340 vector header: '{(lines.Count == 0 ? "" : lines[0])}'");

        var rows = new List<Bip340Vector>();
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',', Columns);
            if (f.Length != Columns) throw new FormatException($"expected {Columns} columns in BIP340 vector row: '{line}'");
            rows.Add(new Bip340Vector(
                Index: int.Parse(f[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture),
                SecretKey: OptionalHex(f[1]),
                PublicKey: Convert.FromHexString(f[2].Trim()),
                AuxRand: OptionalHex(f[3]),
                Message: Convert.FromHexString(f[4].Trim()),
                Signature: Convert.FromHexString(f[5].Trim()),
                VerificationResult: f[6].Trim().ToUpperInvariant() switch
                {
                    "TRUE" => true,
                    "FALSE" => false,
                    var other => throw new FormatException($"verification result '{other}' in row {f[0]}"),
                },
                Comment: f[7].Trim().Trim('"')));
        }
        return rows;
    }

    private static byte[]? OptionalHex(string field) =>
        field.Trim().Length == 0 ? null : Convert.FromHexString(field.Trim());

    /// <summary>The rows whose public key is not the x coordinate of any curve point, by the file's own comments.</summary>
    public bool PublicKeyIsNotOnTheCurve =>
        Comment.Contains("public key not on the curve", StringComparison.OrdinalIgnoreCase) ||
        Comment.Contains("public key is not a valid X coordinate", StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"#{Index} {(Comment.Length == 0 ? "(no comment)" : Comment)}";
}
