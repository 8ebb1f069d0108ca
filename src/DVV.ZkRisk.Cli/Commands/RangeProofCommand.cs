using System.CommandLine;
using System.Text.Json;
using DVV.ZkRisk.Crypto;

namespace DVV.ZkRisk.Cli;

/// <summary>
/// `dvv-zk rangeproof prove|verify`: dalek-compatible aggregated range proofs for auditors and outside
/// checks. verify exits 0 for a valid proof, 1 with a reason for an invalid one, 2 for unusable input.
/// </summary>
internal static class RangeProofCommand
{
    public static Command Create()
    {
        var cmd = new Command("rangeproof", "Prove or verify aggregated Bulletproofs range proofs (byte-compatible with dalek bulletproofs 4.0)");
        cmd.Subcommands.Add(Prove());
        cmd.Subcommands.Add(Verify());
        return cmd;
    }

    private static Option<int> Bits() => new("--bits") { Description = "bit size n: 8, 16, 32 or 64", Required = true };
    private static Option<string> Label() => new("--label") { Description = "Merlin transcript label", Required = true };

    private static Command Prove()
    {
        var bits = Bits();
        var label = Label();
        var values = new Option<string>("--values") { Description = "comma-separated u64 values (a power of two of them)", Required = true };
        var blindings = new Option<string?>("--blindings") { Description = "comma-separated 32-byte hex blindings (canonical scalars); random when omitted" };
        var cmd = new Command("prove", "Prove that every value lies in [0, 2^n); prints {\"commitments\": [hex], \"proof\": hex}") { bits, label, values, blindings };
        cmd.SetAction(pr =>
        {
            int n = pr.GetValue(bits);
            if (!RangeProof.IsSupportedBitSize(n)) return CliErrors.Fail($"--bits: {n} is not one of 8, 16, 32, 64");
            var parts = pr.GetValue(values)!.Split(',', StringSplitOptions.TrimEntries);
            var v = new ulong[parts.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                if (!ulong.TryParse(parts[i], out v[i])) return CliErrors.Fail($"--values: item {i} ('{parts[i]}') is not an unsigned 64-bit integer");
                if (n < 64 && v[i] >> n != 0) return CliErrors.Fail($"--values: item {i} ({v[i]}) does not fit in {n} bits");
            }
            if ((v.Length & (v.Length - 1)) != 0) return CliErrors.Fail($"--values: {v.Length} values; the count must be a power of two");
            if (v.Length > 256) return CliErrors.Fail("--values: at most 256 values");
            Scalar[] r;
            string? bl = pr.GetValue(blindings);
            if (bl is null) r = v.Select(_ => Scalar.Random()).ToArray();
            else
            {
                var hex = bl.Split(',', StringSplitOptions.TrimEntries);
                if (hex.Length != v.Length) return CliErrors.Fail($"--blindings: {hex.Length} blindings for {v.Length} values");
                r = new Scalar[hex.Length];
                for (int i = 0; i < hex.Length; i++)
                {
                    if (!CliHex.TryParse(hex[i], 32, out var b, out string? why)) return CliErrors.Fail($"--blindings: item {i}: {why}");
                    if (!Scalar.TryFromCanonical(b, out r[i])) return CliErrors.Fail($"--blindings: item {i} is not a canonical scalar (>= l)");
                }
            }
            var gens = new BulletproofGens(n, v.Length);
            var proof = RangeProof.ProveMultiple(gens, PedersenGens.Default, new Transcript(pr.GetValue(label)!), v, r, n, out var commitments);
            Console.WriteLine(JsonSerializer.Serialize(new { commitments = commitments.Select(c => c.ToString()), proof = Convert.ToHexStringLower(proof.ToBytes()) }));
            return 0;
        });
        return cmd;
    }

    private static Command Verify()
    {
        var bits = Bits();
        var label = Label();
        var commitments = new Option<string>("--commitments") { Description = "comma-separated 32-byte hex commitments", Required = true };
        var proofHex = new Option<string>("--proof") { Description = "the proof bytes in hex", Required = true };
        var cmd = new Command("verify", "Verify a range proof: exit 0 valid, 1 invalid (with the reason)") { bits, label, commitments, proofHex };
        cmd.SetAction(pr =>
        {
            int n = pr.GetValue(bits);
            var hex = pr.GetValue(commitments)!.Split(',', StringSplitOptions.TrimEntries);
            var points = new RistrettoPoint[hex.Length];
            for (int i = 0; i < hex.Length; i++)
            {
                if (!CliHex.TryParse(hex[i], 32, out var b, out string? why)) return CliErrors.Fail($"--commitments: item {i}: {why}");
                if (!RistrettoPoint.TryDecode(b, out points[i])) return Invalid($"commitment {i} is not a canonical ristretto255 encoding");
            }
            byte[] proofBytes;
            try { proofBytes = Convert.FromHexString(pr.GetValue(proofHex)!); }
            catch (FormatException) { return CliErrors.Fail("--proof: not hexadecimal"); }
            RangeProof proof;
            try { proof = RangeProof.FromBytes(proofBytes); }
            catch (CryptoFormatException e) { return Invalid("malformed proof: " + e.Message); }
            if (!RangeProof.IsSupportedBitSize(n)) return Invalid($"bit size {n} is not one of 8, 16, 32, 64");
            if (points.Length == 0 || points.Length > 256 || (points.Length & (points.Length - 1)) != 0) return Invalid($"{points.Length} commitments; the count must be a power of two up to 256");
            var gens = new BulletproofGens(n, points.Length);
            if (!proof.TryVerify(gens, PedersenGens.Default, new Transcript(pr.GetValue(label)!), points, n, out string? reason)) return Invalid(reason!);
            Console.WriteLine("valid");
            return 0;
        });
        return cmd;
    }

    private static int Invalid(string reason)
    {
        Console.Error.WriteLine($"invalid: {reason}");
        return 1;
    }
}
