using DVV.ZkRisk.Crypto;

namespace DVV.ZkRisk.Epochs.Verification;

/// <summary>
/// Batch verification of an epoch's range proofs in chunks. One batch over every submission would hold each proof's
/// 2nm generator coefficients at once (256 KiB per 64 x 64-bit proof: 2.6 GB for 10,000 traders); chunks of
/// <see cref="ChunkSize"/> proofs keep that near 128 MiB and cost one extra generator MSM (about 70 ms) per chunk.
/// </summary>
public static class RangeProofChunks
{
    public const int ChunkSize = 512;

    /// <summary>The generators every epoch proof uses: n up to 64 bits, up to 128 parties (the exposure proof has 2 x 32
    /// values of 64 bits, the indicator proof 4 x 32 values of 8 bits).</summary>
    public static readonly BulletproofGens Gens = new(64, 128);

    /// <summary>True when every statement verifies; <paramref name="badIndices"/> names the others (indices into <paramref name="statements"/>).</summary>
    public static bool Verify(IReadOnlyList<RangeProofStatement> statements, out int[] badIndices, IProgress<int>? progress = null)
        => Verify(statements, out badIndices, ChunkSize, progress);

    /// <summary>As above with a chosen chunk size (tests use tiny chunks).</summary>
    internal static bool Verify(IReadOnlyList<RangeProofStatement> statements, out int[] badIndices, int chunkSize, IProgress<int>? progress = null)
    {
        if (chunkSize < 1) throw new ArgumentOutOfRangeException(nameof(chunkSize));
        var bad = new List<int>();
        for (int from = 0; from < statements.Count; from += chunkSize)
        {
            int count = Math.Min(chunkSize, statements.Count - from);
            var chunk = new RangeProofStatement[count];
            for (int i = 0; i < count; i++) chunk[i] = statements[from + i];
            if (!RangeProofBatch.Verify(Gens, PedersenGens.Default, chunk, out var badInChunk))
                foreach (var b in badInChunk) bad.Add(from + b);
            progress?.Report(from + count);
        }
        badIndices = bad.ToArray();
        return badIndices.Length == 0;
    }
}
