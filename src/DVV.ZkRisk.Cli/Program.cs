using System.CommandLine;
using DVV.ZkRisk.Cli;

// dvv-zk: one verb per file under Commands/; each exposes Create() returning its Command.
var root = new RootCommand("DVV.ZkRisk: zero-knowledge aggregate risk and the Contagion-Adjusted Volatility Buffer");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(EpochCommands.Verify());
root.Subcommands.Add(EpochCommands.Audit());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(VerifierCommand.Create());
root.Subcommands.Add(CommitCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(OperatorCommand.Create());
root.Subcommands.Add(TraderCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(RangeProofCommand.Create());
root.Subcommands.Add(BlsCommand.Create());
root.Subcommands.Add(PriceCommand.Create());
root.Subcommands.Add(MarginCommand.Create());
root.Subcommands.Add(SimulateCommand.Create());
root.Subcommands.Add(FlagsCommand.Create());
return root.Parse(args).Invoke();
