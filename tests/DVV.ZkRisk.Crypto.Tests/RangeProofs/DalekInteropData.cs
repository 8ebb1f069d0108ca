using System.Text.Json.Nodes;
using DVV.ZkRisk.Oracles;

namespace DVV.ZkRisk.Crypto.Tests.RangeProofs;

/// <summary>
/// Everything the dalek interop tests compare, computed once per test class: for every n in {8,16,32,64} and
/// m in {1,2,4,8,16} random values (0 and 2^n-1 among them) and random 32-byte blindings; our proofs of them
/// (and tampered variants); then ONE Node process in which dalek bulletproofs 4.0 (WASM) proves the same
/// values and verifies our proofs and their tampered variants. A missing node or npm package makes the
/// constructor throw, so every test of the class fails (never skips).
/// </summary>
public sealed class DalekInteropData
{
    public static readonly int[] Ns = [8, 16, 32, 64];
    public static readonly int[] Ms = [1, 2, 4, 8, 16];
    public const string Label = DalekRangeProofPeer.Label;
    public const string OtherLabel = "DVV.ZkRisk/not-the-dalek-label";

    public BulletproofGens Gens { get; } = new(64, DalekRangeProofPeer.MaxParties);
    public PedersenGens Pc => PedersenGens.Default;

    public IReadOnlyList<Case> Cases { get; }
    public Case Get(int n, int m) => Cases.Single(c => c.N == n && c.M == m);

    /// <summary>Proof-element tampering of OUR proofs (m=2 per n), swapped commitments, wrong n, wrong label: dalek's verdicts.</summary>
    public IReadOnlyList<(string What, DalekRangeProofPeer.Reply Verdict)> OurNegativesInDalek { get; }

    /// <summary>dalek "proofs" of 2^n (dalek 4.0's prover does not check the range; its output must be rejected everywhere).</summary>
    public IReadOnlyList<(int N, ulong[] Values, string[] BlindingsHex, DalekRangeProofPeer.Reply Made, DalekRangeProofPeer.Reply SelfVerdict)> OutOfRange { get; }

    /// <summary>dalek proof of value 0 with blinding 0: its commitment is the identity, which dalek allows for V.</summary>
    public (DalekRangeProofPeer.Reply Made, DalekRangeProofPeer.Reply SelfVerdict) IdentityCommitment { get; }

    /// <summary>dalek's verdict on the golden fixture at its n (32) and at n=16.</summary>
    public (DalekRangeProofPeer.Reply AtN, DalekRangeProofPeer.Reply At16) Golden { get; }

    public TimeSpan OurProvingTime { get; }
    public TimeSpan NodeTime { get; }

    public sealed class Case
    {
        public required int N { get; init; }
        public required int M { get; init; }
        public required ulong[] Values { get; init; }
        public required byte[][] Blindings { get; init; }
        public string[] BlindingsHex => Blindings.Select(Convert.ToHexStringLower).ToArray();
        public Scalar[] BlindingScalars => Blindings.Select(b => Scalar.FromBytesModOrder(b)).ToArray();

        public byte[]? OurProof { get; set; }
        public RistrettoPoint[]? OurCommitments { get; set; }
        public Exception? OurProveError { get; set; }

        public DalekRangeProofPeer.Reply DalekMade { get; set; } = null!;
        public DalekRangeProofPeer.Reply DalekOnOurs { get; set; } = null!;
        public override string ToString() => $"n={N} m={M}";
    }

    public DalekInteropData()
    {
        var rng = TestRandom.Create(3303);
        var cases = new List<Case>();
        foreach (int n in Ns)
            foreach (int m in Ms)
            {
                ulong max = n == 64 ? ulong.MaxValue : (1UL << n) - 1;
                var values = new ulong[m];
                for (int j = 0; j < m; j++) values[j] = RandomU64(rng) & max;
                // the extremes: with m >= 2 both in every proof; with m = 1 alternate between n sizes
                if (m >= 2) { values[0] = 0; values[m - 1] = max; }
                else values[0] = (n == 8 || n == 32) ? max : 0;
                var blindings = new byte[m][];
                for (int j = 0; j < m; j++) blindings[j] = TestRandom.Bytes(rng, 32);
                // one non-canonical blinding (>= l) per n: both sides must reduce it the same way (from_bytes_mod_order)
                if (m == 4) blindings[1] = Enumerable.Repeat((byte)0xff, 32).ToArray();
                cases.Add(new Case { N = n, M = m, Values = values, Blindings = blindings });
            }
        Cases = cases;

        // Our side first (no dependence on dalek's output), so that one Node run does everything.
        var sw = System.Diagnostics.Stopwatch.StartNew();
        foreach (var c in cases)
        {
            try
            {
                var proof = RangeProof.ProveMultiple(Gens, Pc, new Transcript(Label), c.Values, c.BlindingScalars, c.N, out var comms);
                c.OurProof = proof.ToBytes();
                c.OurCommitments = comms;
            }
            catch (Exception e) { c.OurProveError = e; }
        }
        var ourNegatives = new List<(string, JsonObject)>();
        foreach (int n in Ns)
        {
            var c = Get(n, 2);
            if (c.OurProof is null) continue;
            string[] comms = Hex(c.OurCommitments!);
            foreach (var (what, bytes) in ProofTampering.Variants(c.OurProof, n * 2))
                ourNegatives.Add(($"n={n} m=2 ours, {what}", DalekRangeProofPeer.VerifyItem(n, Convert.ToHexStringLower(bytes), comms)));
            ourNegatives.Add(($"n={n} m=2 ours, commitments swapped", DalekRangeProofPeer.VerifyItem(n, Convert.ToHexStringLower(c.OurProof), comms.Reverse())));
            ourNegatives.Add(($"n={n} m=2 ours, commitment 0 + B", DalekRangeProofPeer.VerifyItem(n, Convert.ToHexStringLower(c.OurProof), [(c.OurCommitments![0] + Pc.B).ToString(), comms[1]])));
            ourNegatives.Add(($"n={n} m=2 ours, commitment 1 + B_blinding", DalekRangeProofPeer.VerifyItem(n, Convert.ToHexStringLower(c.OurProof), [comms[0], (c.OurCommitments![1] + Pc.BBlinding).ToString()])));
            int wrongN = n == 64 ? 32 : n * 2;
            ourNegatives.Add(($"n={n} m=2 ours, verified with n={wrongN}", DalekRangeProofPeer.VerifyItem(wrongN, Convert.ToHexStringLower(c.OurProof), comms)));
            try
            {
                var other = RangeProof.ProveMultiple(Gens, Pc, new Transcript(OtherLabel), c.Values, c.BlindingScalars, n, out var otherComms);
                ourNegatives.Add(($"n={n} m=2 ours under label \"{OtherLabel}\"", DalekRangeProofPeer.VerifyItem(n, Convert.ToHexStringLower(other.ToBytes()), Hex(otherComms))));
            }
            catch (Exception e) { ourNegatives.Add(($"n={n} m=2 ours under another label: prover threw {e.GetType().Name}: {e.Message}", new JsonObject { ["op"] = "none" })); }
        }
        // one 8-bit proof of ours offered as a proof for another proof's commitments
        var c8 = Get(8, 1); var c16 = Get(16, 1);
        if (c8.OurProof != null && c16.OurCommitments != null)
            ourNegatives.Add(("n=8 m=1 ours with the commitment of another proof", DalekRangeProofPeer.VerifyItem(8, Convert.ToHexStringLower(c8.OurProof), Hex(c16.OurCommitments))));
        OurProvingTime = sw.Elapsed;

        var items = new List<JsonObject>();
        foreach (var c in cases) items.Add(DalekRangeProofPeer.ProveItem(c.N, c.Values, c.BlindingsHex));
        foreach (var c in cases)
            items.Add(c.OurProof is null ? new JsonObject { ["op"] = "none" } : DalekRangeProofPeer.VerifyItem(c.N, Convert.ToHexStringLower(c.OurProof), Hex(c.OurCommitments!)));
        items.AddRange(ourNegatives.Select(x => x.Item2));
        var oorSpecs = new List<(int N, ulong[] Values, string[] Blindings)>
        {
            (8, [256], [Convert.ToHexStringLower(TestRandom.Bytes(rng, 32))]),
            (16, [7, 65536], [Convert.ToHexStringLower(TestRandom.Bytes(rng, 32)), Convert.ToHexStringLower(TestRandom.Bytes(rng, 32))]),
            (32, [1UL << 32, 5, 6, 7], Enumerable.Range(0, 4).Select(_ => Convert.ToHexStringLower(TestRandom.Bytes(rng, 32))).ToArray()),
        };
        foreach (var (n, v, b) in oorSpecs) items.Add(DalekRangeProofPeer.ProveItem(n, v, b));
        string zero = new('0', 64);
        items.Add(DalekRangeProofPeer.ProveItem(64, [0UL, 1UL], [zero, Convert.ToHexStringLower(TestRandom.Bytes(rng, 32))]));
        var fx = GoldenFixture.Load();
        items.Add(DalekRangeProofPeer.VerifyItem(fx.NBits, fx.ProofHex, fx.CommitmentsHex));
        items.Add(DalekRangeProofPeer.VerifyItem(16, fx.ProofHex, fx.CommitmentsHex));

        sw.Restart();
        var replies = DalekRangeProofPeer.Batch(items);
        if (replies.Count != items.Count) throw new InvalidOperationException($"dalek peer answered {replies.Count} of {items.Count} requests");
        int k = 0;
        foreach (var c in cases) c.DalekMade = replies[k++];
        foreach (var c in cases) c.DalekOnOurs = replies[k++];
        OurNegativesInDalek = ourNegatives.Select(x => (x.Item1, replies[k++])).ToList();
        var oorMade = oorSpecs.Select(s => (s.N, s.Values, s.Blindings, replies[k++])).ToList();
        var identityMade = replies[k++];
        Golden = (replies[k++], replies[k++]);

        // Second (small) Node run: dalek verifies its own out-of-range and identity outputs.
        var second = new List<JsonObject>();
        foreach (var o in oorMade) second.Add(o.Item4.Error is null ? DalekRangeProofPeer.VerifyItem(o.N, o.Item4.ProofHex, o.Item4.CommitmentsHex) : new JsonObject { ["op"] = "none" });
        second.Add(identityMade.Error is null ? DalekRangeProofPeer.VerifyItem(64, identityMade.ProofHex, identityMade.CommitmentsHex) : new JsonObject { ["op"] = "none" });
        var second_ = DalekRangeProofPeer.Batch(second);
        OutOfRange = oorMade.Select((o, i) => (o.N, o.Values, o.Blindings, o.Item4, second_[i])).ToList();
        IdentityCommitment = (identityMade, second_[^1]);
        NodeTime = sw.Elapsed;
    }

    public static string[] Hex(IEnumerable<RistrettoPoint> ps) => ps.Select(p => p.ToString()).ToArray();

    private static ulong RandomU64(Random rng) { Span<byte> b = stackalloc byte[8]; rng.NextBytes(b); return BitConverter.ToUInt64(b); }
}

/// <summary>The shared golden fixture: a dalek-made 32-bit aggregated proof (m=2) with its expected challenges.</summary>
public sealed record GoldenFixture(string Label, int NBits, int M, ulong[] Values, string[] BlindingsHex, string[] CommitmentsHex, string ProofHex, IReadOnlyDictionary<string, string> ExpectedChallenges)
{
    public static GoldenFixture Load()
    {
        var j = JsonNode.Parse(File.ReadAllText(RepoPaths.Fixture("dalek-batch-range-proof-golden.json")))!;
        return new GoldenFixture(
            j["transcript_label"]!.GetValue<string>(),
            j["n_bits"]!.GetValue<int>(),
            j["m"]!.GetValue<int>(),
            j["values"]!.AsArray().Select(v => v!.GetValue<ulong>()).ToArray(),
            j["blindings_hex"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray(),
            j["commitments_hex"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray(),
            j["proof_hex"]!.GetValue<string>(),
            j["expected_challenges_le_hex"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>()));
    }
}
