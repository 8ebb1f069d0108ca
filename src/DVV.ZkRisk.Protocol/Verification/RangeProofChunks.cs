using DVV.ZkRisk.Crypto;

namespace DVV.ZkRisk.Protocol.Verification;

/// <summary>
/// Batch verification of an epoch's range proofs in chunks. One batch over every submission would hold each proof's
/// 2nm generator coefficients at once (256 KiB per 64 x 64-bit proof: 2.6 GB for 10,000 traders); chunks of
/// <see cref="ChunkSize"/> proofs keep that near 128 MiB and cost one extra generator MSM (about 70 ms) per chunk.
/// </summary>
internal static class RangeProofChunks
{
    public const int ChunkSize = 512;

    /// <summary>The generators of the exposure proofs: up to 64 bits, up to 64 parties (2 x 32 values).</summary>
    public static readonly BulletproofGens Gens = new(64, 64);

    /// <summary>The generators of the indicator proofs: 8 bits, 128 parties (4 x 32 values). Each party's chain starts
    /// with the same generators whatever its length, so these are exactly the first 8 of every chain of a larger
    /// instance; they have their own instance because the verifier's generator tables are cached per instance and
    /// bounded (8,192 shifted generators), and one (64, 128) instance asked for both shapes would rebuild its tables on
    /// every switch between them (16,384 > 8,192), which made each submission's verification 3-5x slower.</summary>
    public static readonly BulletproofGens IndicatorGens = new(8, 128);

    /// <summary>The instance for proofs of <paramref name="bits"/>-bit values.</summary>
    public static BulletproofGens For(int bits) => bits <= IndicatorGens.GensCapacity ? IndicatorGens : Gens;

    /// <summary>True when every statement verifies; <paramref name="badIndices"/> names the others (indices into <paramref name="statements"/>).</summary>
    public static bool Verify(IReadOnlyList<RangeProofStatement> statements, out int[] badIndices, IProgress<int>? progress = null)
        => Verify(statements, out badIndices, ChunkSize, progress);

    /// <summary>As above with a chosen chunk size (tests use tiny chunks).</summary>
    internal static bool Verify(IReadOnlyList<RangeProofStatement> statements, out int[] badIndices, int chunkSize, IProgress<int>? progress = null)
    {
        if (chunkSize < 1) throw new ArgumentOutOfRangeException(nameof(chunkSize));
        var bad = new List<int>();
        int done = 0;
        // one pass per generator instance (exposure and indicator proofs), each in chunks; indices map back
        foreach (var group in Enumerable.Range(0, statements.Count).GroupBy(i => For(statements[i].BitSize)))
        {
            var idx = group.ToArray();
            for (int from = 0; from < idx.Length; from += chunkSize)
            {
                int count = Math.Min(chunkSize, idx.Length - from);
                var chunk = new RangeProofStatement[count];
                for (int i = 0; i < count; i++) chunk[i] = statements[idx[from + i]];
                if (!RangeProofBatch.Verify(group.Key, PedersenGens.Default, chunk, out var badInChunk))
                    foreach (var b in badInChunk) bad.Add(idx[from + b]);
                progress?.Report(done += count);
            }
        }
        bad.Sort();
        badIndices = bad.ToArray();
        return badIndices.Length == 0;
    }
}
