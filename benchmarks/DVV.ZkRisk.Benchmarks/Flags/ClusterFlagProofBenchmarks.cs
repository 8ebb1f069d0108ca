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
/// Issue 15's cluster flag proofs (circuits/cluster.v1.json) beside the singleton ones of <see cref="FlagProofBenchmarks"/>:
/// a member of a two-account cluster proves its 12 flags against its own and the cluster's distance (one m = 32, n = 64
/// floor-form Bulletproof over 24 values), and a batch of 64 members (32 clusters) verifies in one multiscalar check.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class ClusterFlagProofBenchmarks
{
    private const int Members = 64;
    private static readonly PedersenGens Pc = PedersenGens.Default;
    private FlagModel _model = null!;
    private StatementBinding _binding = null!;
    private Member[] _members = null!;

    private sealed record Member(byte[] Id, ReadOnlyMemory<byte>[] Cluster, RistrettoPoint[] OwnX, RistrettoPoint[] ClusterX, FlagWitness Witness,
        RistrettoPoint[] F, Scalar[] Phi, RangeProof Proof);

    [GlobalSetup]
    public void Setup()
    {
        var market = new MarketSnapshot(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero), 100_000, DVV.ZkRisk.Vaults.SkewedSurface.Create(0.6), depthCoins: 400, clearingFundUsd: 60_000_000);
        _model = FlagModel.Compute(DVV.ZkRisk.Risk.ParameterSet.Default, market);
        _binding = new StatementBinding(1, new byte[32], new byte[32]);
        var rng = new Random(15);
        var one = new (byte[] Id, FlagWitness W, RistrettoPoint[] X)[Members];
        for (int i = 0; i < Members; i++)
        {
            var s = new ulong[_model.Bands];
            var l = new ulong[_model.Bands];
            for (int k = 0; k < 4; k++) { s[rng.Next(_model.Bands)] += (ulong)rng.Next(1, 200_000); l[rng.Next(_model.Bands)] += (ulong)rng.Next(1, 100_000); }
            ulong usd = (ulong)rng.NextInt64(0, 2_000_000) * (ulong)FlagModel.UsdUnits;
            var rs = s.Select(_ => Scalar.Random()).ToArray();
            var rl = l.Select(_ => Scalar.Random()).ToArray();
            Scalar ru = Scalar.Random(), rc = Scalar.Random();
            var coll = new CollateralCommitments(Pc.Commit(usd, ru), Pc.Commit(0, rc));
            var id = new byte[32];
            rng.NextBytes(id);
            one[i] = (id, FlagProof.Witness(_model, s, l, usd, 0, rs, rl, ru, rc)!,
                FlagProof.DistanceCommitments(_model, s.Select((v, b) => Pc.Commit(v, rs[b])).ToArray(), l.Select((v, b) => Pc.Commit(v, rl[b])).ToArray(), coll));
        }
        _members = new Member[Members];
        for (int i = 0; i < Members; i += 2)
        {
            var pair = new[] { one[i], one[i + 1] }.OrderBy(m => Convert.ToHexStringLower(m.Id), StringComparer.Ordinal).ToArray();
            var keys = pair.Select(m => (ReadOnlyMemory<byte>)m.Id).ToArray();
            var d = new long[_model.Shocks];
            var blind = new Scalar[_model.Shocks];
            uint mask = 0;
            for (int s = 0; s < _model.Shocks; s++)
            {
                d[s] = pair[0].W.Distances[s] + pair[1].W.Distances[s];
                blind[s] = pair[0].W.DistanceBlindings[s] + pair[1].W.DistanceBlindings[s];
                mask |= (uint)(SignRangeProof.NegativeBit(d[s]) | SignRangeProof.NegativeBit(pair[0].W.Distances[s]) | SignRangeProof.NegativeBit(pair[1].W.Distances[s])) << s;
            }
            var flags = new LiquidationFlags(mask, _model.Shocks);
            var cw = new ClusterWitness(pair.Select(m => m.Id).ToArray(), d, blind, flags);
            var clusterX = ClusterFlagProof.ClusterDistanceCommitments([pair[0].X, pair[1].X], _model.Shocks);
            for (int j = 0; j < 2; j++)
            {
                var w = pair[j].W with { Flags = flags, Cluster = cw };
                var phi = Enumerable.Range(0, _model.Shocks).Select(_ => Scalar.Random()).ToArray();
                var f = phi.Select((p, k) => Pc.Commit((ulong)flags.Lambda(k), p)).ToArray();
                _members[i + j] = new Member(pair[j].Id, keys, pair[j].X, clusterX, w, f, phi, ClusterFlagProof.Prove(_binding, pair[j].Id, _model, w, f, phi));
            }
        }
    }

    [Benchmark(Description = "prove 12 flags of one cluster member (24 values)")]
    public RangeProof Prove()
    {
        var m = _members[0];
        return ClusterFlagProof.Prove(_binding, m.Id, _model, m.Witness, m.F, m.Phi);
    }

    [Benchmark(Description = "verify 64 members (32 pairs) in one multiscalar check")]
    public bool VerifyBatch()
    {
        var statements = new RangeProofStatement[_members.Length];
        Parallel.For(0, _members.Length, i =>
        {
            var m = _members[i];
            statements[i] = ClusterFlagProof.Statement(_binding, m.Id, _model, m.Cluster, m.OwnX, m.ClusterX, m.F, m.Proof);
        });
        if (!RangeProofBatch.Verify(RangeProofChunks.Gens, Pc, statements, out _)) throw new InvalidOperationException("cluster flag batch failed");
        return true;
    }
}
