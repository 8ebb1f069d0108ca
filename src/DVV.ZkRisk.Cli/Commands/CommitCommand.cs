using System.CommandLine;
using DVV.ZkRisk.Crypto;

namespace DVV.ZkRisk.Cli;

/// <summary>`dvv-zk commit --value V [--blinding HEX]`: prints the Pedersen commitment C = v*B + r*B_blinding.</summary>
internal static class CommitCommand
{
    public static Command Create()
    {
        var value = new Option<ulong>("--value") { Description = "value to commit to (u64)", Required = true };
        var blinding = new Option<string?>("--blinding") { Description = "blinding scalar, 32 bytes hex, canonical (< l); random when omitted" };
        var cmd = new Command("commit", "Pedersen-commit a value: C = v*B + r*B_blinding (dalek bulletproofs generators)");
        cmd.Options.Add(value);
        cmd.Options.Add(blinding);
        cmd.SetAction(pr =>
        {
            Scalar r;
            string? hex = pr.GetValue(blinding);
            if (hex is null) r = Scalar.Random();
            else
            {
                if (!CliHex.TryParse(hex, 32, out var bytes, out string? why)) return CliErrors.Fail($"--blinding: {why}");
                if (!Scalar.TryFromCanonical(bytes, out r)) return CliErrors.Fail("--blinding: scalar is not canonical (>= group order l)");
            }
            var c = PedersenGens.Default.Commit(pr.GetValue(value), r);
            Console.WriteLine($"{{\"commitment\":\"{c}\",\"blinding\":\"{r}\"}}");
            return 0;
        });
        return cmd;
    }
}
