using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Crypto.Sigma;
using DVV.ZkRisk.Protocol.Flags;
using DVV.ZkRisk.Protocol.Verification;
using DVV.ZkRisk.Risk;
using Scalar = DVV.ZkRisk.Crypto.Scalar;

namespace DVV.ZkRisk.Benchmarks.Flags;

/// <summary>
/// Issue 15's flag proofs: proving one trader's 12 flags (one m = 16, n = 64 Bulletproof over X_s + 2^64 F_s), forming
/// the 12 distance commitments X_s from its 2 x 32 band commitments and 2 collateral commitments, and verifying a batch of
/// traders in one multiscalar check (per-trader cost is the batch time / Traders).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class FlagProofBenchmarks
{
    private static readonly PedersenGens Pc = PedersenGens.Default;
    private FlagModel _model = null!;
    private StatementBinding _binding = null!;
    private Trader[] _traders = null!;

    [Params(1, 64)]
    public int Traders { get; set; }

    private sealed record Trader(byte[] Id, RistrettoPoint[] CS, RistrettoPoint[] CL, CollateralCommitments Collateral, FlagWitness Witness,
        RistrettoPoint[] F, Scalar[] Phi, RangeProof Proof);

    [GlobalSetup]
    public void Setup()
    {
        var market = new MarketSnapshot(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero), 100_000, DVV.ZkRisk.Vaults.SkewedSurface.Create(0.6), depthCoins: 400, clearingFundUsd: 60_000_000);
        _model = FlagModel.Compute(DVV.ZkRisk.Risk.ParameterSet.Default, market);
        _binding = new StatementBinding(1, new byte[32], new byte[32]);
        var rng = new Random(15);
        _traders = new Trader[Traders];
        for (int i = 0; i < Traders; i++)
        {
            var s = new ulong[_model.Bands];
            var l = new ulong[_model.Bands];
            for (int k = 0; k < 4; k++) { s[rng.Next(_model.Bands)] += (ulong)rng.Next(1, 200_000); l[rng.Next(_model.Bands)] += (ulong)rng.Next(1, 100_000); }
            ulong usd = (ulong)rng.NextInt64(0, 2_000_000) * (ulong)FlagModel.UsdUnits;
            var rs = s.Select(_ => Scalar.Random()).ToArray();
            var rl = l.Select(_ => Scalar.Random()).ToArray();
            Scalar ru = Scalar.Random(), rc = Scalar.Random();
            var cs = s.Select((v, b) => Pc.Commit(v, rs[b])).ToArray();
            var cl = l.Select((v, b) => Pc.Commit(v, rl[b])).ToArray();
            var coll = new CollateralCommitments(Pc.Commit(usd, ru), Pc.Commit(0, rc));
            var w = FlagProof.Witness(_model, s, l, usd, 0, rs, rl, ru, rc)!;
            var phi = Enumerable.Range(0, _model.Shocks).Select(_ => Scalar.Random()).ToArray();
            var f = phi.Select((p, k) => Pc.Commit((ulong)w.Flags.Lambda(k), p)).ToArray();
            var id = new byte[32];
            rng.NextBytes(id);
            _traders[i] = new Trader(id, cs, cl, coll, w, f, phi, FlagProof.Prove(_binding, id, _model, w, f, phi));
        }
    }

    [Benchmark(Description = "prove 12 flags of one trader")]
    public RangeProof Prove()
    {
        var t = _traders[0];
        return FlagProof.Prove(_binding, t.Id, _model, t.Witness, t.F, t.Phi);
    }

    [Benchmark(Description = "form X_s for 12 shocks, one trader")]
    public RistrettoPoint[] DistanceCommitments()
    {
        var t = _traders[0];
        return FlagProof.DistanceCommitments(_model, t.CS, t.CL, t.Collateral);
    }

    [Benchmark(Description = "verify the batch (statements + one multiscalar check)")]
    public bool VerifyBatch()
    {
        var statements = new RangeProofStatement[_traders.Length];
        Parallel.For(0, _traders.Length, i =>
        {
            var t = _traders[i];
            statements[i] = FlagProof.Statement(_binding, t.Id, _model, t.CS, t.CL, t.Collateral, t.F, t.Proof);
        });
        if (!RangeProofBatch.Verify(RangeProofChunks.Gens, Pc, statements, out _)) throw new InvalidOperationException("flag batch failed");
        return true;
    }
}
