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

    private List<RangeProofStatement> _statements = null!;

    [GlobalSetup]
    public void Setup() => _statements = SingleProofs.Get(Count);

    [Benchmark(Baseline = true, Description = "ours: verify one by one")]
    public int OneByOne()
    {
        int ok = 0;
        foreach (var s in _statements)
            if (s.Proof.TryVerify(RangeProofBenchInputs.Gens, RangeProofBenchInputs.Pc, new Transcript(s.TranscriptLabel), s.Commitments, s.BitSize, out _)) ok++;
        if (ok != _statements.Count) throw new InvalidOperationException("a single proof failed");
        return ok;
    }

    [Benchmark(Description = "ours: RangeProofBatch.Verify")]
    public bool Batch()
    {
        if (!RangeProofBatch.Verify(RangeProofBenchInputs.Gens, RangeProofBenchInputs.Pc, _statements, out _)) throw new InvalidOperationException("batch failed");
        return true;
    }
}

/// <summary>Count single-value 64-bit proofs (values and blindings from a seed), cached on disk between runs.</summary>
public static class SingleProofs
{
    public static List<RangeProofStatement> Get(int count)
    {
        string dir = Path.Combine(RepoPaths.Root, "BenchmarkDotNet.Artifacts", "cache");
        string file = Path.Combine(dir, $"rangeproof-singles-{count}.bin");
        if (File.Exists(file))
        {
            try
            {
                var cached = Read(file);
                if (cached.Count == count && RangeProofBatch.Verify(RangeProofBenchInputs.Gens, RangeProofBenchInputs.Pc, cached, out _)) return cached;
            }
            catch (Exception e) when (e is CryptoFormatException or IOException or EndOfStreamException) { }
        }
        var rng = new Random(count);
        var buf = new byte[64];
        var list = new List<RangeProofStatement>(count);
        for (int i = 0; i < count; i++)
        {
            rng.NextBytes(buf);
            ulong v = BitConverter.ToUInt64(buf);
            var r = Scalar.FromBytesWide(buf);
            var p = RangeProof.ProveMultiple(RangeProofBenchInputs.Gens, RangeProofBenchInputs.Pc, new Transcript(RangeProofBenchInputs.Label), [v], [r], 64, out var cs);
            list.Add(new RangeProofStatement(p, RangeProofBenchInputs.Label, cs, 64));
        }
        Directory.CreateDirectory(dir);
        using (var w = new BinaryWriter(File.Create(file)))
        {
            w.Write(list.Count);
            foreach (var s in list)
            {
                var bytes = s.Proof.ToBytes();
                w.Write(bytes.Length); w.Write(bytes); w.Write(s.Commitments[0].ToBytes());
            }
        }
        return list;
    }

    private static List<RangeProofStatement> Read(string file)
    {
        using var r = new BinaryReader(File.OpenRead(file));
        int n = r.ReadInt32();
        var list = new List<RangeProofStatement>(n);
        for (int i = 0; i < n; i++)
        {
            var proof = RangeProof.FromBytes(r.ReadBytes(r.ReadInt32()));
            var c = RistrettoPoint.Decode(r.ReadBytes(32));
            list.Add(new RangeProofStatement(proof, RangeProofBenchInputs.Label, [c], 64));
        }
        return list;
    }
}
