using System.CommandLine;

namespace DVV.ZkRisk.Cli;

/// <summary>`dvv-zk commit --value V [--blinding HEX]`: prints a Pedersen commitment (placeholder until the crypto core lands).</summary>
internal static class CommitCommand
{
    public static Command Create()
    {
        var value = new Option<ulong>("--value") { Description = "value to commit to (u64)", Required = true };
        var cmd = new Command("commit", "Pedersen-commit a value: C = v*B + r*B_blinding");
        cmd.Options.Add(value);
        cmd.SetAction(pr => { Console.Error.WriteLine("not built yet"); return 2; });
        return cmd;
    }
}
