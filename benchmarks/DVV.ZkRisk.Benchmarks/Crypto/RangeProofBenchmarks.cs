using BenchmarkDotNet.Attributes;
using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Oracles;

namespace DVV.ZkRisk.Benchmarks.Crypto;

/// <summary>
/// The inputs every range-proof benchmark uses, ours and dalek WASM's alike (<see cref="DalekWasmPeer"/> passes
/// exactly these to the Node peer): full-width random u64 values and canonical random blindings, from a fixed seed.
/// </summary>
public static class RangeProofBenchInputs
{
    public const int Bits = 64;
    public const string Label = DalekRangeProofPeer.Label;
    public const int MaxM = 64;

    public static ulong[] Values { get; }
    public static Scalar[] Blindings { get; }
    public static string[] BlindingsHex => Blindings.Select(b => b.ToString()).ToArray();

    private static readonly Lazy<BulletproofGens> LazyGens = new(() => new BulletproofGens(Bits, MaxM));
    public static BulletproofGens Gens => LazyGens.Value;
    public static PedersenGens Pc => PedersenGens.Default;

    static RangeProofBenchInputs()
    {
        var rng = new Random(20240964);
        var buf = new byte[64];
        Values = new ulong[MaxM];
        Blindings = new Scalar[MaxM];
        for (int i = 0; i < MaxM; i++)
        {
            rng.NextBytes(buf);
            Values[i] = BitConverter.ToUInt64(buf);
            Blindings[i] = Scalar.FromBytesWide(buf);
        }
    }

    public static RangeProof Prove(int m, out RistrettoPoint[] commitments) =>
        RangeProof.ProveMultiple(Gens, Pc, new Transcript(Label), Values.AsSpan(0, m), Blindings.AsSpan(0, m), Bits, out commitments);
}

/// <summary>
/// Aggregated 64-bit range proofs, m = 1..64: prove and verify (ours). dalek bulletproofs 4.0 as WASM is timed on
/// the same values and blindings in the same run (Program.cs runs <see cref="DalekWasmPeer"/> after BenchmarkDotNet
/// and writes the side-by-side table; the package stops at m = 16).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class RangeProofBenchmarks
{
    [Params(1, 2, 4, 8, 16, 32, 64)]
    public int M;

    private RangeProof _proof = null!;
    private RistrettoPoint[] _commitments = null!;

    [GlobalSetup]
    public void Setup()
    {
        // DVV_BENCH_THREADS=1 measures single-threaded proving and verification (dalek's WASM build is single-threaded).
        if (int.TryParse(Environment.GetEnvironmentVariable("DVV_BENCH_THREADS"), out int t)) MsmParallelism.MaxDegreeOfParallelism = t;
        _proof = RangeProofBenchInputs.Prove(M, out _commitments);
        if (!_proof.TryVerify(RangeProofBenchInputs.Gens, RangeProofBenchInputs.Pc, new Transcript(RangeProofBenchInputs.Label), _commitments, RangeProofBenchInputs.Bits, out var why))
            throw new InvalidOperationException($"our own m={M} proof does not verify: {why}");
    }

    [Benchmark(Description = "ours: prove (n=64)")]
    public RangeProof Prove() => RangeProofBenchInputs.Prove(M, out _);

    [Benchmark(Description = "ours: verify (n=64)")]
    public bool Verify() => _proof.TryVerify(RangeProofBenchInputs.Gens, RangeProofBenchInputs.Pc, new Transcript(RangeProofBenchInputs.Label), _commitments, RangeProofBenchInputs.Bits, out _);
}

/// <summary>
/// Batch verification of Count single 64-bit proofs (one multiscalar check with random weights) against verifying
/// them one by one. The proofs are made once and cached under BenchmarkDotNet.Artifacts/cache (re-made when the
/// cache does not verify).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class RangeProofBatchBenchmarks
{
    [Params(64, 1024)]
    public int Count;

    private List<(RangeProof Proof, RistrettoPoint[] Commitments)> _proofs = null!;

    [GlobalSetup]
    public void Setup()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("DVV_BENCH_THREADS"), out int t)) MsmParallelism.MaxDegreeOfParallelism = t;
        _proofs = SingleProofs.Get(Count);
    }

    [Benchmark(Baseline = true, Description = "ours: verify one by one")]
    public int OneByOne()
    {
        int ok = 0;
        foreach (var (p, c) in _proofs)
            if (p.TryVerify(RangeProofBenchInputs.Gens, RangeProofBenchInputs.Pc, new Transcript(RangeProofBenchInputs.Label), c, RangeProofBenchInputs.Bits, out _)) ok++;
        if (ok != _proofs.Count) throw new InvalidOperationException("a single proof failed");
        return ok;
    }

    [Benchmark(Description = "ours: RangeProofBatch.Verify")]
    public bool Batch()
    {
        // statements are built inside the timed call: each carries a fresh transcript, consumed by verification
        if (!RangeProofBatch.Verify(RangeProofBenchInputs.Gens, RangeProofBenchInputs.Pc, SingleProofs.Statements(_proofs), out _)) throw new InvalidOperationException("batch failed");
        return true;
    }
}

/// <summary>Count single-value 64-bit proofs (values and blindings from a seed), cached on disk between runs.</summary>
public static class SingleProofs
{
    public static List<RangeProofStatement> Statements(IEnumerable<(RangeProof Proof, RistrettoPoint[] Commitments)> proofs) =>
        proofs.Select(x => new RangeProofStatement(x.Proof, RangeProofBenchInputs.Label, x.Commitments, RangeProofBenchInputs.Bits)).ToList();

    public static List<(RangeProof Proof, RistrettoPoint[] Commitments)> Get(int count)
    {
        string dir = Path.Combine(RepoPaths.Root, "BenchmarkDotNet.Artifacts", "cache");
        string file = Path.Combine(dir, $"rangeproof-singles-{count}.bin");
        if (File.Exists(file))
        {
            try
            {
                var cached = Read(file);
                if (cached.Count == count && RangeProofBatch.Verify(RangeProofBenchInputs.Gens, RangeProofBenchInputs.Pc, Statements(cached), out _)) return cached;
            }
            catch (Exception e) when (e is CryptoFormatException or IOException or EndOfStreamException) { }
        }
        var rng = new Random(count);
        var buf = new byte[64];
        var list = new List<(RangeProof, RistrettoPoint[])>(count);
        for (int i = 0; i < count; i++)
        {
            rng.NextBytes(buf);
            ulong v = BitConverter.ToUInt64(buf);
            var r = Scalar.FromBytesWide(buf);
            var p = RangeProof.ProveMultiple(RangeProofBenchInputs.Gens, RangeProofBenchInputs.Pc, new Transcript(RangeProofBenchInputs.Label), [v], [r], RangeProofBenchInputs.Bits, out var cs);
            list.Add((p, cs));
        }
        Directory.CreateDirectory(dir);
        using (var w = new BinaryWriter(File.Create(file)))
        {
            w.Write(list.Count);
            foreach (var (p, cs) in list)
            {
                var bytes = p.ToBytes();
                w.Write(bytes.Length); w.Write(bytes); w.Write(cs[0].ToBytes());
            }
        }
        return list;
    }

    private static List<(RangeProof, RistrettoPoint[])> Read(string file)
    {
        using var r = new BinaryReader(File.OpenRead(file));
        int n = r.ReadInt32();
        var list = new List<(RangeProof, RistrettoPoint[])>(n);
        for (int i = 0; i < n; i++)
        {
            var proof = RangeProof.FromBytes(r.ReadBytes(r.ReadInt32()));
            var c = RistrettoPoint.Decode(r.ReadBytes(32));
            list.Add((proof, [c]));
        }
        return list;
    }
}
