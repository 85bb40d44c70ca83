using System.CommandLine;
using Exchange.Node.Cli;

var root = new RootCommand("Exchange: a decentralized options exchange node")
{
    KeygenCommand.Create(),
    DemoCommand.Create(),
    SimulateCommand.Create(),
    NodeCommand.Create(),
    DevnetCommand.Create(),
    ClientCommands.Status(),
    ClientCommands.Block(),
    ClientCommands.Tx(),
};
return await root.Parse(args).InvokeAsync();
