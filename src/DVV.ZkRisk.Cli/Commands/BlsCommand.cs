using System.CommandLine;
using System.Text.Json;
using DVV.ZkRisk.Crypto.Bls12381;

namespace DVV.ZkRisk.Cli;

/// <summary>
/// `dvv-zk bls ...`: BLS12-381 signatures of the verifier committee (ciphersuite BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_).
/// keygen | sign | verify | aggregate | pop-verify. Failures print one line "invalid: ..." or "error: ..." on stderr
/// and exit 1; never a stack trace.
/// </summary>
internal static class BlsCommand
{
    public static Command Create()
    {
        var bls = new Command("bls", "BLS12-381 signatures for committee attestations (IETF BLS, proof-of-possession ciphersuite)");
        bls.Subcommands.Add(KeyGen());
        bls.Subcommands.Add(Sign());
        bls.Subcommands.Add(Verify());
        bls.Subcommands.Add(Aggregate());
        bls.Subcommands.Add(PopVerify());
        bls.Subcommands.Add(Committee());
        bls.Subcommands.Add(Attest());
        bls.Subcommands.Add(AggregateAttestations());
        bls.Subcommands.Add(Quorum());
        return bls;
    }

    private static Command KeyGen()
    {
        var ikm = new Option<string?>("--ikm") { Description = "input keying material, hex, at least 32 bytes (default: 32 random bytes)" };
        var info = new Option<string?>("--key-info") { Description = "KeyGen key_info, hex (default: empty)" };
        var cmd = new Command("keygen", "Generate a key pair: prints JSON {sk, pk, pop} (pop = proof of possession)");
        cmd.Options.Add(ikm);
        cmd.Options.Add(info);
        cmd.SetAction(pr => Run(() =>
        {
            var ikmHex = pr.GetValue(ikm);
            var infoBytes = pr.GetValue(info) is { } i ? Hex("--key-info", i) : Array.Empty<byte>();
            using var sk = ikmHex is null ? BlsSecretKey.Generate() : BlsSecretKey.KeyGen(Hex("--ikm", ikmHex), infoBytes);
            var json = JsonSerializer.Serialize(new { sk = ToHex(sk.ToBytes()), pk = sk.PublicKey.ToHex(), pop = sk.ProvePossession().ToHex() },
                new JsonSerializerOptions { WriteIndented = true });
            Console.WriteLine(json);
            return 0;
        }));
        return cmd;
    }

    private static Command Sign()
    {
        var sk = new Option<string>("--sk") { Description = "secret key, 32 bytes hex", Required = true };
        var msg = new Option<string>("--msg") { Description = "message, hex", Required = true };
        var cmd = new Command("sign", "Sign a message: prints the 96-byte signature as hex");
        cmd.Options.Add(sk);
        cmd.Options.Add(msg);
        cmd.SetAction(pr => Run(() =>
        {
            using var key = BlsSecretKey.FromBytes(Hex("--sk", pr.GetValue(sk)!));
            Console.WriteLine(key.Sign(Hex("--msg", pr.GetValue(msg)!)).ToHex());
            return 0;
        }));
        return cmd;
    }

    private static Command Verify()
    {
        var pk = new Option<string>("--pk") { Description = "public key, 48 bytes hex (compressed G1)", Required = true };
        var msg = new Option<string>("--msg") { Description = "message, hex", Required = true };
        var sig = new Option<string>("--sig") { Description = "signature, 96 bytes hex (compressed G2)", Required = true };
        var cmd = new Command("verify", "Verify a signature: exit 0 and \"valid\", or exit 1 and \"invalid: reason\"");
        cmd.Options.Add(pk);
        cmd.Options.Add(msg);
        cmd.Options.Add(sig);
        cmd.SetAction(pr => Run(() =>
        {
            var key = BlsPublicKey.FromBytes(Hex("--pk", pr.GetValue(pk)!));
            var s = BlsSignature.FromBytes(Hex("--sig", pr.GetValue(sig)!));
            if (!key.Verify(Hex("--msg", pr.GetValue(msg)!), s))
                return Invalid("signature does not verify for this public key and message");
            Console.WriteLine("valid");
            return 0;
        }, invalidPrefix: "invalid"));
        return cmd;
    }

    private static Command PopVerify()
    {
        var pk = new Option<string>("--pk") { Description = "public key, 48 bytes hex", Required = true };
        var pop = new Option<string>("--pop") { Description = "proof of possession, 96 bytes hex", Required = true };
        var cmd = new Command("pop-verify", "Check a proof of possession (what committee registration does): exit 0 valid, 1 invalid");
        cmd.Options.Add(pk);
        cmd.Options.Add(pop);
        cmd.SetAction(pr => Run(() =>
        {
            var key = BlsPublicKey.FromBytes(Hex("--pk", pr.GetValue(pk)!));
            if (!key.VerifyPossession(BlsSignature.FromBytes(Hex("--pop", pr.GetValue(pop)!))))
                return Invalid("proof of possession does not verify for this public key");
            Console.WriteLine("valid");
            return 0;
        }, invalidPrefix: "invalid"));
        return cmd;
    }

    private static Command Aggregate()
    {
        var sigs = new Option<string?>("--sigs") { Description = "comma-separated signatures (hex) to aggregate" };
        var pks = new Option<string?>("--pks") { Description = "comma-separated public keys (hex) to aggregate (for FastAggregateVerify)" };
        var cmd = new Command("aggregate", "Aggregate signatures and/or public keys: prints hex (JSON when both are given)");
        cmd.Options.Add(sigs);
        cmd.Options.Add(pks);
        cmd.SetAction(pr => Run(() =>
        {
            var s = pr.GetValue(sigs);
            var p = pr.GetValue(pks);
            if (s is null && p is null) return Error("give --sigs and/or --pks");
            string? aggSig = s is null ? null : BlsSignature.Aggregate(Split(s).Select((h, i) => Decode($"signature {i + 1}", () => BlsSignature.FromBytes(Hex($"--sigs item {i + 1}", h))))).ToHex();
            string? aggPk = p is null ? null : BlsPublicKey.Aggregate(Split(p).Select((h, i) => Decode($"public key {i + 1}", () => BlsPublicKey.FromBytes(Hex($"--pks item {i + 1}", h))))).ToHex();
            if (aggSig != null && aggPk != null)
                Console.WriteLine(JsonSerializer.Serialize(new { signature = aggSig, publicKey = aggPk }, new JsonSerializerOptions { WriteIndented = true }));
            else Console.WriteLine(aggSig ?? aggPk);
            return 0;
        }));
        return cmd;
    }

    // ---------------------------------------------------------------- committee attestations

    private static Command Committee()
    {
        var members = new Option<string>("--members") { Description = "comma-separated PK:POP pairs (hex), in member-index order", Required = true };
        var threshold = new Option<int>("--threshold") { Description = "quorum k", Required = true };
        var cmd = new Command("committee", "Register a verifier committee (checks every proof of possession): prints the registry JSON");
        cmd.Options.Add(members);
        cmd.Options.Add(threshold);
        cmd.SetAction(pr => Run(() =>
        {
            var list = Split(pr.GetValue(members)!).Select((m, i) =>
            {
                var parts = m.Split(':');
                if (parts.Length != 2) throw new BadInput($"member {i}: expected PK:POP");
                return (Decode($"member {i} public key", () => BlsPublicKey.FromBytes(Hex($"member {i} public key", parts[0]))),
                        Decode($"member {i} proof", () => BlsSignature.FromBytes(Hex($"member {i} proof", parts[1]))));
            }).ToList();
            try { Console.WriteLine(VerifierCommittee.Register(list, pr.GetValue(threshold)).ToJson()); }
            catch (CommitteeRegistrationException e) { throw new BadInput(e.Message); }
            return 0;
        }));
        return cmd;
    }

    private static Command Attest()
    {
        var sk = new Option<string>("--sk") { Description = "the member's secret key, hex", Required = true };
        var epoch = new Option<ulong>("--epoch") { Description = "epoch number", Required = true };
        var bundle = new Option<string>("--bundle-hash") { Description = "32-byte bundle hash, hex", Required = true };
        var cmd = new Command("attest", "Sign an epoch attestation (\"DVV.ZkRisk/attest/v1\" || epoch || bundle hash): prints the signature hex");
        cmd.Options.Add(sk);
        cmd.Options.Add(epoch);
        cmd.Options.Add(bundle);
        cmd.SetAction(pr => Run(() =>
        {
            using var key = BlsSecretKey.FromBytes(Hex("--sk", pr.GetValue(sk)!));
            var msg = VerifierCommittee.AttestationMessage(pr.GetValue(epoch), BundleHash(pr.GetValue(bundle)!));
            Console.WriteLine(key.Sign(msg).ToHex());
            return 0;
        }));
        return cmd;
    }

    private static Command AggregateAttestations()
    {
        var committee = new Option<string>("--committee") { Description = "committee registry JSON file", Required = true };
        var epoch = new Option<ulong>("--epoch") { Description = "epoch number", Required = true };
        var bundle = new Option<string>("--bundle-hash") { Description = "32-byte bundle hash, hex", Required = true };
        var atts = new Option<string>("--attestations") { Description = "comma-separated INDEX:SIGNATURE pairs", Required = true };
        var cmd = new Command("aggregate-attestations", "Check and aggregate members' attestations: prints the aggregated attestation (hex wire form)");
        cmd.Options.Add(committee); cmd.Options.Add(epoch); cmd.Options.Add(bundle); cmd.Options.Add(atts);
        cmd.SetAction(pr => Run(() =>
        {
            var c = LoadCommittee(pr.GetValue(committee)!);
            var hash = BundleHash(pr.GetValue(bundle)!);
            var list = Split(pr.GetValue(atts)!).Select((a, i) =>
            {
                var parts = a.Split(':');
                if (parts.Length != 2 || !int.TryParse(parts[0], out var idx)) throw new BadInput($"attestation {i + 1}: expected INDEX:SIGNATURE");
                return new Attestation(idx, pr.GetValue(epoch), hash, Decode($"attestation {i + 1}", () => BlsSignature.FromBytes(Hex($"attestation {i + 1}", parts[1]))));
            });
            Console.WriteLine(ToHex(AggregatedAttestation.Aggregate(c, list).ToBytes()));
            return 0;
        }));
        return cmd;
    }

    private static Command Quorum()
    {
        var committee = new Option<string>("--committee") { Description = "committee registry JSON file", Required = true };
        var epoch = new Option<ulong>("--epoch") { Description = "expected epoch number", Required = true };
        var bundle = new Option<string>("--bundle-hash") { Description = "expected 32-byte bundle hash, hex", Required = true };
        var att = new Option<string>("--attestation") { Description = "aggregated attestation, hex wire form", Required = true };
        var cmd = new Command("quorum", "Check an aggregated attestation against the committee: exit 0 quorum reached, 1 with the reason");
        cmd.Options.Add(committee); cmd.Options.Add(epoch); cmd.Options.Add(bundle); cmd.Options.Add(att);
        cmd.SetAction(pr => Run(() =>
        {
            var c = LoadCommittee(pr.GetValue(committee)!);
            AggregatedAttestation a;
            try { a = AggregatedAttestation.FromBytes(Hex("--attestation", pr.GetValue(att)!)); }
            catch (FormatException e) when (e is not BlsEncodingException) { throw new BadInput("--attestation: " + e.Message); }
            var r = QuorumCheck.Verify(c, a, pr.GetValue(epoch), BundleHash(pr.GetValue(bundle)!));
            if (!r.IsValid) return Invalid($"{r.Failure}: {r.Reason}");
            Console.WriteLine($"quorum reached: {r.SignerCount} signers [{string.Join(",", a.Signers.Indices)}], threshold {r.Threshold} of {c.Size}");
            return 0;
        }, invalidPrefix: "invalid"));
        return cmd;
    }

    private static VerifierCommittee LoadCommittee(string path)
    {
        string json;
        try { json = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new BadInput($"cannot read committee file {path}: {e.Message}"); }
        try { return VerifierCommittee.FromJson(json); }
        catch (CommitteeRegistrationException e) { throw new BadInput("committee file: " + e.Message); }
        catch (FormatException e) { throw new BadInput("committee file: " + e.Message); }
    }

    private static byte[] BundleHash(string hex)
    {
        var b = Hex("--bundle-hash", hex);
        if (b.Length != VerifierCommittee.BundleHashSize) throw new BadInput("--bundle-hash must be 32 bytes");
        return b;
    }

    // ---------------------------------------------------------------- helpers

    private sealed class BadInput(string message) : Exception(message);

    private static string[] Split(string list)
    {
        var items = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0) throw new BadInput("empty list");
        return items;
    }

    private static T Decode<T>(string what, Func<T> f)
    {
        try { return f(); }
        catch (BlsEncodingException e) { throw new BadInput($"{what}: {e.Message}"); }
    }

    private static byte[] Hex(string what, string hex)
    {
        var h = hex.Trim();
        if (h.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) h = h[2..];
        try { return Convert.FromHexString(h); }
        catch (FormatException) { throw new BadInput($"{what} is not valid hex"); }
    }

    private static string ToHex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();

    private static int Invalid(string reason) { Console.Error.WriteLine("invalid: " + reason); return 1; }
    private static int Error(string reason) { Console.Error.WriteLine("error: " + reason); return 1; }

    /// <summary>Runs a verb, turning every failure into one line on stderr and exit code 1.</summary>
    private static int Run(Func<int> body, string invalidPrefix = "error")
    {
        try { return body(); }
        catch (BadInput e) { Console.Error.WriteLine($"{invalidPrefix}: {e.Message}"); return 1; }
        catch (BlsEncodingException e) { Console.Error.WriteLine($"{invalidPrefix}: {e.Message}"); return 1; }
        catch (ArgumentException e) { Console.Error.WriteLine($"{invalidPrefix}: {e.Message}"); return 1; }
        catch (Exception e) { Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message}"); return 1; }
    }
}
