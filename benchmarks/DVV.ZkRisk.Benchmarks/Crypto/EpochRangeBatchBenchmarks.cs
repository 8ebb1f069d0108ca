using BenchmarkDotNet.Attributes;
using DVV.ZkRisk.Crypto;

namespace DVV.ZkRisk.Benchmarks.Crypto;

/// <summary>
/// The epoch verifier's range-proof cost: one batch over many submissions, each an m = 64, n = 64 proof
/// (32 bands x short/long). Two batch sizes separate the fixed cost (the 2 x 4096 shared generators of the
/// MSM) from the marginal cost per submission, which is what scales to 10,000 traders:
/// marginal = (t(24) - t(8)) / 16, fixed = t(8) - 8 * marginal.
/// </summary>
[SimpleJob(warmupCount: 1, iterationCount: 5)]
public class EpochRangeBatchBenchmarks
{
    private static readonly BulletproofGens Gens = new(64, 64);
    private static List<(RangeProof Proof, RistrettoPoint[] Commitments)>? _proofs;

    [Params(8, 24)]
    public int Proofs;

    [GlobalSetup]
    public void Setup()
    {
        if (_proofs is not null) return;
        var rng = new Random(64);
        _proofs = new List<(RangeProof, RistrettoPoint[])>();
        for (int k = 0; k < 24; k++)
        {
            var values = Enumerable.Range(0, 64).Select(_ => (ulong)rng.NextInt64()).ToArray();
            var blindings = values.Select(_ => Scalar.Random()).ToArray();
            var proof = RangeProof.ProveMultiple(Gens, PedersenGens.Default, new Transcript("epoch-range-bench"), values, blindings, 64, out var commitments);
            _proofs.Add((proof, commitments));
        }
    }

    [Benchmark(Description = "batch-verify m=64 submissions")]
    public bool Verify()
    {
        var statements = new List<RangeProofStatement>(Proofs);
        for (int i = 0; i < Proofs; i++) statements.Add(new RangeProofStatement(_proofs![i].Proof, "epoch-range-bench", _proofs[i].Commitments, 64));
        if (!RangeProofBatch.Verify(Gens, PedersenGens.Default, statements, out _)) throw new InvalidOperationException("batch rejected");
        return true;
    }
}
