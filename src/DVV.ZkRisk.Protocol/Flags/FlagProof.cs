using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Crypto.Sigma;
using DVV.ZkRisk.Risk;
using Scalar = DVV.ZkRisk.Crypto.Scalar;

namespace DVV.ZkRisk.Protocol.Flags;

/// <summary>A trader's committed collateral (circuits/flag.v1.json): E_usd in 10^-8 USD and E_coin in 10^-8 coin.</summary>
internal readonly record struct CollateralCommitments(RistrettoPoint Usd, RistrettoPoint Coin);

/// <summary>The venue's side of one trader's flags: d_s per shock, the bits lam_s = [d_s &lt; 0] and the blindings phi_s of
/// the bit commitments F_s = lam_s B + phi_s B~ (the selection proof's blinding of its B position).</summary>
internal sealed record FlagWitness(long[] Distances, LiquidationFlags Flags, Scalar[] DistanceBlindings)
{
    /// <summary>For a member of a linked-account cluster: the cluster's summed distances (proven by <see cref="ClusterFlagProof"/>
    /// instead of the exact flag proof); null for a trader margined alone.</summary>
    public ClusterWitness? Cluster { get; init; }
}

/// <summary>A cluster's side of a member's flag witness: the members (keys, ascending), d_Cs = Sum_j d_js per shock, the
/// blinding of X_Cs, and the cluster's flags (the bits the floor proof is made for: the issued ones, except under the
/// sealer's test hook <c>MisstatedFlags</c>, whose F_s then commit to other bits and no accepted proof comes out).</summary>
internal sealed record ClusterWitness(byte[][] Members, long[] Distances, Scalar[] Blindings, LiquidationFlags Flags);

/// <summary>
/// The proven flag of one trader (DESIGN.md 9, circuits/flag.v1.json): per shock the commitment to d_s,
/// X_s = E_usd + kappa_s E_coin + Sum_b (LongCoefficient_sb C_Lb + ShortCoefficient_sb C_Sb), formed by anyone from the
/// submission and the public <see cref="FlagModel"/>, and one aggregated <see cref="SignRangeProof"/> over
/// X_s + 2^64 F_s for all shocks (m = the next power of two). The bit commitment F_s is the selected point of the
/// selection proof's extra base B (selection.v3), which shows it holds the same lam_s as every D_sb and E_sb.
/// The transcript binds the epoch (binding), the trader, the model's coefficients (digest) and every F_s; the range
/// proof then absorbs every V_s.
/// </summary>
internal static class FlagProof
{
    public const string TranscriptLabel = DomainLabels.FlagProof;

    public static Transcript Transcript(StatementBinding binding, ReadOnlySpan<byte> traderId, FlagModel model, ReadOnlySpan<RistrettoPoint> bitCommitments)
    {
        var t = new Transcript(TranscriptLabel);
        binding.AppendTo(t);
        t.AppendMessage("trader"u8, traderId);
        t.AppendMessage("coefficients"u8, model.Digest);
        t.AppendU64("shocks"u8, (ulong)bitCommitments.Length);
        foreach (var f in bitCommitments) t.AppendPoint("F"u8, f);
        return t;
    }

    /// <summary>d_s, lam_s and the blinding of X_s for every shock, from the trader's opening (venue side); null when some
    /// d_s is outside [-2^63, 2^63).</summary>
    public static FlagWitness? Witness(FlagModel model, IReadOnlyList<ulong> shortValues, IReadOnlyList<ulong> longValues, ulong collateralUsd, ulong collateralCoin,
        IReadOnlyList<Scalar> shortBlindings, IReadOnlyList<Scalar> longBlindings, in Scalar collateralUsdBlinding, in Scalar collateralCoinBlinding)
    {
        var s = shortValues.ToArray();
        var l = longValues.ToArray();
        var d = new long[model.Shocks];
        var blind = new Scalar[model.Shocks];
        uint mask = 0;
        for (int k = 0; k < model.Shocks; k++)
        {
            if (model.Distance(k, s, l, collateralUsd, collateralCoin) is not { } dk) return null;
            d[k] = dk;
            mask |= (uint)SignRangeProof.NegativeBit(dk) << k;
            blind[k] = model.DistanceBlinding(k, shortBlindings, longBlindings, collateralUsdBlinding, collateralCoinBlinding);
        }
        return new FlagWitness(d, new LiquidationFlags(mask, model.Shocks), blind);
    }

    /// <summary>The sign proof for the bit commitments F_s made with blindings <paramref name="bitBlindings"/>.</summary>
    public static RangeProof Prove(StatementBinding binding, ReadOnlySpan<byte> traderId, FlagModel model, FlagWitness witness,
        ReadOnlySpan<RistrettoPoint> bitCommitments, ReadOnlySpan<Scalar> bitBlindings)
    {
        if (bitCommitments.Length != model.Shocks || bitBlindings.Length != model.Shocks)
            throw new ArgumentException($"{bitCommitments.Length} bit commitments and {bitBlindings.Length} blindings for {model.Shocks} shocks");
        var t = Transcript(binding, traderId, model, bitCommitments);
        return SignRangeProof.Prove(Verification.RangeProofChunks.Gens, PedersenGens.Default, t, witness.Distances, witness.DistanceBlindings, bitBlindings, FlagModel.DistanceBits);
    }

    /// <summary>The commitments X_s to d_s, for every shock (verifier side).</summary>
    public static RistrettoPoint[] DistanceCommitments(FlagModel model, IReadOnlyList<RistrettoPoint> shortCommitments, IReadOnlyList<RistrettoPoint> longCommitments, CollateralCommitments collateral)
    {
        var x = new RistrettoPoint[model.Shocks];
        for (int s = 0; s < x.Length; s++) x[s] = model.DistanceCommitment(s, shortCommitments, longCommitments, collateral.Usd, collateral.Coin);
        return x;
    }

    /// <summary>The batch statement that checks a trader's flag proof (with <see cref="RangeProofBatch"/>).</summary>
    public static RangeProofStatement Statement(StatementBinding binding, ReadOnlySpan<byte> traderId, FlagModel model, IReadOnlyList<RistrettoPoint> shortCommitments,
        IReadOnlyList<RistrettoPoint> longCommitments, CollateralCommitments collateral, ReadOnlySpan<RistrettoPoint> bitCommitments, RangeProof proof)
    {
        if (bitCommitments.Length != model.Shocks) throw new ArgumentException($"{bitCommitments.Length} bit commitments for {model.Shocks} shocks");
        var x = DistanceCommitments(model, shortCommitments, longCommitments, collateral);
        return SignRangeProof.Statement(proof, Transcript(binding, traderId, model, bitCommitments), x, bitCommitments, FlagModel.DistanceBits);
    }
}
