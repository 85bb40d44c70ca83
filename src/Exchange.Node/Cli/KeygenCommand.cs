using System.CommandLine;
using Exchange.Node.Keys;

namespace Exchange.Node.Cli;

/// <summary><c>exchange keygen --out FILE</c>: a new signing key, written owner-only, public key printed.</summary>
internal static class KeygenCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo>("--out", "-o") { Description = "Where to write the key file", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing key file" };
        var command = new Command("keygen", "Generate a BIP340 signing key and write it to a file readable only by you") { output, force };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(output)!.FullName;
            var key = KeyGenerator.Generate();
            try
            {
                KeyFile.Write(path, key, parse.GetValue(force));
            }
            catch (KeyFileException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
            Console.WriteLine(key.PublicKey);
            Console.Error.WriteLine($"wrote {path} (mode 600)");
            return 0;
        });
        return command;
    }
}
