using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Crypto.Sigma;

namespace DVV.ZkRisk.Protocol.Sealing;

/// <summary>
/// The range proofs of withheld LSV cells under sum.v3 (circuits/sum.v3.json): a withheld cell publishes its contributor
/// count n but not its value, and T' = T - chi n B (<see cref="CountWeight"/>) is shown to commit to a value in [0, 2^64),
/// which a false count cannot give. The withheld cells in cell order are proven in chunks of at most
/// <see cref="ChunkSize"/> (the generators hold 64 parties), each one aggregated 64-bit Bulletproof padded with identity
/// commitments to a power of two, its transcript binding the epoch (binding) and the chunk's cell labels.
/// </summary>
internal static class WithheldCells
{
    public const string TranscriptLabel = "DVV.ZkRisk/withheld-cells v1";
    public const int ChunkSize = 64;
    public const int Bits = 64;

    public static List<int[]> Chunks(int[] cells)
    {
        var chunks = new List<int[]>();
        for (int i = 0; i < cells.Length; i += ChunkSize) chunks.Add(cells[i..Math.Min(cells.Length, i + ChunkSize)]);
        return chunks;
    }

    public static Transcript Transcript(StatementBinding binding, IEnumerable<string> cellLabels)
    {
        var t = new Transcript(TranscriptLabel);
        binding.AppendTo(t);
        var labels = cellLabels.ToList();
        t.AppendU64("cells"u8, (ulong)labels.Count);
        foreach (var l in labels) t.AppendMessage("cell"u8, System.Text.Encoding.ASCII.GetBytes(l));
        return t;
    }

    /// <summary>The batch statement of one chunk: the cells' T' padded with identities.</summary>
    public static RangeProofStatement Statement(StatementBinding binding, IReadOnlyList<string> cellLabels, IReadOnlyList<RistrettoPoint> valuePoints, RangeProof proof)
    {
        var v = new RistrettoPoint[SignRangeProof.PaddedCount(valuePoints.Count)];
        for (int j = 0; j < v.Length; j++) v[j] = j < valuePoints.Count ? valuePoints[j] : RistrettoPoint.Identity;
        return new RangeProofStatement(proof, Transcript(binding, cellLabels), v, Bits);
    }
}
