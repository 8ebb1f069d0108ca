using System.Diagnostics;
using System.Text.Json.Nodes;
using DVV.ZkRisk.Oracles;

namespace DVV.ZkRisk.Crypto.Tests.RangeProofs;

/// <summary>
/// The auditor-facing CLI against dalek bulletproofs 4.0 (WASM): `dvv-zk rangeproof verify` accepts dalek-made
/// proofs (exit 0) and rejects tampered ones (exit 1 with a reason); `dvv-zk rangeproof prove` output verifies in
/// dalek. Runs the dvv-zk.dll built in the same configuration as this test assembly (test.sh builds Release).
/// </summary>
public sealed class DalekCliInteropTests(DalekCliInteropTests.Data d) : IClassFixture<DalekCliInteropTests.Data>
{
    private const string Label = DalekRangeProofPeer.Label;

    public sealed class Data
    {
        public static readonly (int N, ulong[] Values)[] Specs =
        [
            (8, [0, 255, 17, 200]),
            (16, [65535, 1]),
            (32, [4294967295]),
            (64, [0, ulong.MaxValue, 12345678901234567890, 42, 7, 8, 9, 10]),
        ];
        public List<(int N, ulong[] Values, string[] Blindings, DalekRangeProofPeer.Reply Dalek)> DalekMade { get; } = [];
        public List<(int N, ulong[] Values, string[] Blindings, CliResult Cli, DalekRangeProofPeer.Reply? DalekVerdict)> CliMade { get; } = [];

        public Data()
        {
            var rng = TestRandom.Create(515);
            // canonical blindings: the CLI takes canonical scalars only, dalek reduces (a no-op for these)
            string Blinding() => TestRandom.Scalar(rng).ToString();
            var specs = Specs.Select(s => (s.N, s.Values, Blindings: s.Values.Select(_ => Blinding()).ToArray())).ToList();
            var replies = DalekRangeProofPeer.Batch(specs.Select(s => DalekRangeProofPeer.ProveItem(s.N, s.Values, s.Blindings)));
            for (int i = 0; i < specs.Count; i++) DalekMade.Add((specs[i].N, specs[i].Values, specs[i].Blindings, replies[i]));

            var cli = specs.Select(s => (s.N, s.Values, s.Blindings, Cli: Cli.Run("rangeproof", "prove", "--bits", s.N.ToString(), "--label", Label,
                "--values", string.Join(",", s.Values), "--blindings", string.Join(",", s.Blindings)))).ToList();
            var verifyItems = cli.Select(c =>
            {
                if (c.Cli.ExitCode != 0) return new JsonObject { ["op"] = "none" };
                var j = JsonNode.Parse(c.Cli.Stdout)!;
                return DalekRangeProofPeer.VerifyItem(c.N, j["proof"]!.GetValue<string>(), j["commitments"]!.AsArray().Select(x => x!.GetValue<string>()));
            }).ToList();
            var verdicts = DalekRangeProofPeer.Batch(verifyItems);
            for (int i = 0; i < cli.Count; i++) CliMade.Add((cli[i].N, cli[i].Values, cli[i].Blindings, cli[i].Cli, cli[i].Cli.ExitCode == 0 ? verdicts[i] : null));
        }
    }

    public static TheoryData<int> Indices() => new(Enumerable.Range(0, Data.Specs.Length));

    [Theory]
    [MemberData(nameof(Indices))]
    public void CliVerify_AcceptsADalekProof_Exit0(int i)
    {
        var (n, values, _, dalek) = d.DalekMade[i];
        Assert.True(dalek.Error is null, $"dalek could not prove n={n}: {dalek.Error}");
        var r = Verify(n, Label, dalek.CommitmentsHex, dalek.ProofHex);
        Assert.True(r.ExitCode == 0, $"dvv-zk rejects a dalek proof (n={n}, m={values.Length}): {r}");
    }

    [Theory]
    [MemberData(nameof(Indices))]
    public void CliVerify_RejectsTamperedOrMisusedDalekProofs_Exit1_WithAReason(int i)
    {
        var (n, values, _, dalek) = d.DalekMade[i];
        Assert.True(dalek.Error is null, $"dalek could not prove n={n}: {dalek.Error}");
        var proof = Convert.FromHexString(dalek.ProofHex);
        var comms = dalek.CommitmentsHex;
        var names = ProofTampering.ElementNames(n * values.Length);
        var cases = new List<(string What, int Bits, string Label, string[] Comms, byte[] Proof)>
        {
            ("t_x changed", n, Label, comms, Flip(proof, Array.IndexOf(names, "t_x"))),
            ("A changed", n, Label, comms, Flip(proof, 0)),
            ("last R changed", n, Label, comms, Flip(proof, names.Length - 3)),
            ("b changed", n, Label, comms, Flip(proof, names.Length - 1)),
            ("truncated by one byte", n, Label, comms, proof[..^1]),
            ("padded by 32 bytes", n, Label, comms, [.. proof, .. new byte[32]]),
            ("wrong label", n, "DVV.ZkRisk/other", comms, proof),
            ($"wrong n ({(n == 64 ? 32 : n * 2)})", n == 64 ? 32 : n * 2, Label, comms, proof),
            ("commitment 0 shifted by B", n, Label, [(RistrettoPoint.Decode(Convert.FromHexString(comms[0])) + PedersenGens.Default.B).ToString(), .. comms[1..]], proof),
        };
        if (comms.Length >= 2) cases.Add(("commitments swapped", n, Label, [comms[1], comms[0], .. comms[2..]], proof));
        var wrong = new List<string>();
        foreach (var (what, bits, label, cs, p) in cases)
        {
            var r = Verify(bits, label, cs, Convert.ToHexStringLower(p));
            if (r.ExitCode != 1 || !r.Stderr.Contains("invalid:", StringComparison.Ordinal) || r.Stderr.Trim().Length <= "invalid:".Length)
                wrong.Add($"{what}: {r}");
        }
        Assert.True(wrong.Count == 0, $"n={n}, m={values.Length}:\n" + string.Join("\n", wrong));
    }

    [Theory]
    [MemberData(nameof(Indices))]
    public void CliProve_OutputVerifiesInDalek_WithDaleksCommitments(int i)
    {
        var (n, values, _, cli, verdict) = d.CliMade[i];
        Assert.True(cli.ExitCode == 0, "dvv-zk rangeproof prove failed: " + cli);
        var j = JsonNode.Parse(cli.Stdout)!;
        var comms = j["commitments"]!.AsArray().Select(x => x!.GetValue<string>()).ToArray();
        Assert.Equal(d.DalekMade[i].Dalek.CommitmentsHex, comms); // same values and blindings -> same commitments
        Assert.True(verdict is { Ok: true }, $"dalek rejects the CLI's proof (n={n}, m={values.Length}): {verdict}");
    }

    [Fact]
    public void CliVerify_GoldenFixture_Exit0_AndExit1WithN16()
    {
        var fx = GoldenFixture.Load();
        var ok = Verify(fx.NBits, fx.Label, fx.CommitmentsHex, fx.ProofHex);
        Assert.True(ok.ExitCode == 0, "golden fixture: " + ok);
        var bad = Verify(16, fx.Label, fx.CommitmentsHex, fx.ProofHex);
        Assert.True(bad.ExitCode == 1 && bad.Stderr.Contains("invalid:"), "golden fixture with n=16: " + bad);
    }

    private static CliResult Verify(int bits, string label, IEnumerable<string> comms, string proofHex) =>
        Cli.Run("rangeproof", "verify", "--bits", bits.ToString(), "--label", label, "--commitments", string.Join(",", comms), "--proof", proofHex);

    private static byte[] Flip(byte[] proof, int element) { var c = (byte[])proof.Clone(); c[element * 32 + 1] ^= 0x10; return c; }
}

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}; stdout: {Stdout.Trim()}; stderr: {Stderr.Trim()}";
}

/// <summary>Runs the built dvv-zk.dll (src/DVV.ZkRisk.Cli/bin/&lt;this configuration&gt;/net10.0) with `dotnet`.</summary>
public static class Cli
{
    public static string DllPath { get; } = Find();

    private static string Find()
    {
        // the configuration this test assembly was built in (bin/<Configuration>/net10.0/)
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = baseDir.Parent?.Name ?? "Release";
        string dll = Path.Combine(RepoPaths.Root, "src", "DVV.ZkRisk.Cli", "bin", configuration, baseDir.Name, "dvv-zk.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"dvv-zk.dll not built for {configuration}: run `dotnet build DVV.ZkRisk.sln -c {configuration}` (test.sh does)", dll);
        return dll;
    }

    public static CliResult Run(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(DllPath);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException("dvv-zk " + string.Join(' ', args)); }
        return new CliResult(p.ExitCode, so.Result, se.Result);
    }
}
