using DVV.ZkRisk.Cli.Demo;
using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Crypto.Sigma;
using DVV.ZkRisk.Protocol.Flags;
using DVV.ZkRisk.Protocol.Verification;
using DVV.ZkRisk.Risk;
using Scalar = DVV.ZkRisk.Crypto.Scalar;

namespace DVV.ZkRisk.Protocol.Tests.Flags;

/// <summary>
/// The proven band-model flag: F_s commits to [d_s &lt; 0] where d_s is formed from the trader's commitments and the
/// public coefficients; the bit F_s is tied to the selection's lambda by the selection proof over the extra base B.
/// Each test names the check it exercises.
/// </summary>
public class FlagProofTests
{
    private static readonly PedersenGens Pc = PedersenGens.Default;
    private static readonly MarketSnapshot Market = new(EpochFixture.T0, 65_000, DemoMarket.SkewedSurface(), depthCoins: 20, clearingFundUsd: 20_000_000);
    private static readonly FlagModel Model = FlagModel.Compute(EpochFixture.Risk, Market);
    private static readonly StatementBinding Binding = new(7, new byte[32], System.Security.Cryptography.SHA256.HashData("flags"u8));
    private static readonly byte[] Trader = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    /// <summary>A trader's committed book: band values, collateral, every blinding, and the public commitments.</summary>
    private sealed class Committed
    {
        public required ulong[] Short, Long;
        public required ulong Usd, Coin;
        public Scalar[] RS = [], RL = [];
        public Scalar RUsd, RCoin;
        public RistrettoPoint[] CS = [], CL = [];
        public CollateralCommitments Collateral;

        public static Committed Of(ulong[] s, ulong[] l, ulong usd, ulong coin)
        {
            var c = new Committed { Short = s, Long = l, Usd = usd, Coin = coin };
            c.RS = s.Select(_ => Scalar.Random()).ToArray();
            c.RL = l.Select(_ => Scalar.Random()).ToArray();
            c.RUsd = Scalar.Random(); c.RCoin = Scalar.Random();
            c.CS = s.Select((v, b) => Pc.Commit(Scalar.FromUInt64(v), c.RS[b])).ToArray();
            c.CL = l.Select((v, b) => Pc.Commit(Scalar.FromUInt64(v), c.RL[b])).ToArray();
            c.Collateral = new CollateralCommitments(Pc.Commit(Scalar.FromUInt64(usd), c.RUsd), Pc.Commit(Scalar.FromUInt64(coin), c.RCoin));
            return c;
        }

        public FlagWitness Witness(FlagModel m) => FlagProof.Witness(m, Short, Long, Usd, Coin, RS, RL, RUsd, RCoin)!;
    }

    /// <summary>A short-put book: 3 contracts in the 7-30 day bucket's band just below the forward.</summary>
    private static (ulong[] S, ulong[] L) ShortPuts(ulong contractsE4 = 30_000)
    {
        var s = new ulong[Model.Bands];
        var l = new ulong[Model.Bands];
        s[2 * 8 + 3] = contractsE4;
        l[3 * 8 + 1] = 5_000;
        return (s, l);
    }

    /// <summary>USD collateral (10^-8 USD) that puts d_s exactly at <paramref name="target"/> under shock s.</summary>
    private static ulong CollateralFor(int shock, ulong[] s, ulong[] l, long target)
    {
        long rest = Model.Distance(shock, s, l, 0, 0)!.Value;
        return checked((ulong)(target - rest));
    }

    private static (RistrettoPoint[] F, Scalar[] Phi) Bits(LiquidationFlags flags)
    {
        var phi = Enumerable.Range(0, flags.ShockCount).Select(_ => Scalar.Random()).ToArray();
        var f = phi.Select((p, s) => Pc.Commit(Scalar.FromUInt64((ulong)flags.Lambda(s)), p)).ToArray();
        return (f, phi);
    }

    private static bool Verifies(Committed c, RistrettoPoint[] f, RangeProof proof, FlagModel? model = null, CollateralCommitments? collateral = null) =>
        RangeProofBatch.Verify(RangeProofChunks.Gens, Pc,
            [FlagProof.Statement(Binding, Trader, model ?? Model, c.CS, c.CL, collateral ?? c.Collateral, f, proof)], out _);

    [Theory]
    [InlineData(-1L)]
    [InlineData(0L)]
    [InlineData(1L)]
    public void TheFlagAtTheBoundaryIsProvenAndChecked(long target)
    {
        var (s, l) = ShortPuts();
        const int shock = 0;   // the -30% crash
        var c = Committed.Of(s, l, CollateralFor(shock, s, l, target), 0);
        var w = c.Witness(Model);
        Assert.Equal(target, w.Distances[shock]);
        Assert.Equal(target < 0 ? 1 : 0, w.Flags.Lambda(shock));
        var (f, phi) = Bits(w.Flags);
        var proof = FlagProof.Prove(Binding, Trader, Model, w, f, phi);
        Assert.True(Verifies(c, f, proof));
        Assert.Equal(928, proof.SerializedSize);   // m = 16 (12 shocks padded), n = 64
    }

    [Theory]
    [InlineData(-1L, 0)]     // unflag a trader with d_s < 0
    [InlineData(0L, 1)]      // flag one with d_s >= 0
    public void AVenueThatFlipsAFlagGetsNoAcceptedProof(long target, int claimed)
    {
        var (s, l) = ShortPuts();
        const int shock = 0;
        var c = Committed.Of(s, l, CollateralFor(shock, s, l, target), 0);
        var w = c.Witness(Model);
        var lied = new LiquidationFlags(claimed == 1 ? w.Flags.Mask | 1u : w.Flags.Mask & ~1u, Model.Shocks);
        var (f, phi) = Bits(lied);
        var bits = Enumerable.Range(0, Model.Shocks).Select(lied.Lambda).ToArray();
        var t = FlagProof.Transcript(Binding, Trader, Model, f);
        var proof = SignRangeProof.ProveWithBits(RangeProofChunks.Gens, Pc, t, w.Distances, w.DistanceBlindings, bits, phi, FlagModel.DistanceBits);
        Assert.False(Verifies(c, f, proof));
    }

    [Fact]
    public void CoinCollateralIsValuedAtTheShockedSpot()
    {
        var (s, l) = ShortPuts();
        var c = Committed.Of(s, l, 0, 3 * (ulong)FlagModel.CoinUnits);
        var w = c.Witness(Model);
        for (int k = 0; k < Model.Shocks; k++)
            Assert.Equal(Model.Distance(k, s, l, 0, 0)!.Value + Model.CoinCoefficient(k) * 3 * FlagModel.CoinUnits, w.Distances[k]);
        Assert.True(Model.CoinCoefficient(0) < Model.CoinCoefficient(Model.Shocks - 1));   // -30% below +30%
        var (f, phi) = Bits(w.Flags);
        Assert.True(Verifies(c, f, FlagProof.Prove(Binding, Trader, Model, w, f, phi)));
    }

    [Fact]
    public void CoefficientsNotFromTheParameterSetAreRefused()
    {
        var (s, l) = ShortPuts();
        var c = Committed.Of(s, l, CollateralFor(0, s, l, -1), 0);
        var w = c.Witness(Model);
        var (f, phi) = Bits(w.Flags);
        var proof = FlagProof.Prove(Binding, Trader, Model, w, f, phi);
        // a venue publishing a lighter short coefficient for the band the trader is short in
        var shortC = Model.ShortCoefficients.ToArray();
        shortC[2 * 8 + 3] += 1_000;
        var forged = FlagModel.FromPublished(Model.Bands, Model.Shocks, Model.LongCoefficients.ToArray(), shortC, Model.CoinCoefficients.ToArray(), out var reason)!;
        Assert.Null(reason);
        Assert.False(forged.AgreesWith(Model, out reason));
        Assert.Contains("short[shock 0, band 19]", reason);
        // and a proof made under the honest coefficients does not verify against the forged ones (the digest is bound)
        Assert.False(Verifies(c, f, proof, forged));
        // within the rounding tolerance the published coefficients are accepted
        shortC[2 * 8 + 3] -= 1_000 - (int)FlagModel.Tolerance;
        Assert.True(FlagModel.FromPublished(Model.Bands, Model.Shocks, Model.LongCoefficients.ToArray(), shortC, Model.CoinCoefficients.ToArray(), out _)!.AgreesWith(Model, out _));
        // out of bounds: the no-wrap argument needs |coefficient| < 2^40
        shortC[0] = -(1L << FlagModel.CoefficientBits);
        Assert.Null(FlagModel.FromPublished(Model.Bands, Model.Shocks, Model.LongCoefficients.ToArray(), shortC, Model.CoinCoefficients.ToArray(), out reason));
        Assert.Contains("2^40", reason);
    }

    [Fact]
    public void AWrongCollateralCommitmentBreaksTheProof()
    {
        var (s, l) = ShortPuts();
        var c = Committed.Of(s, l, CollateralFor(0, s, l, -1), 0);
        var w = c.Witness(Model);
        var (f, phi) = Bits(w.Flags);
        var proof = FlagProof.Prove(Binding, Trader, Model, w, f, phi);
        var more = new CollateralCommitments(c.Collateral.Usd + Pc.B, c.Collateral.Coin);
        Assert.False(Verifies(c, f, proof, collateral: more));
    }

    [Fact]
    public void TheBitIsTiedToTheSelectionLambdaThroughTheExtraBase()
    {
        // selection.v3: bases C_0..C_{B-1}, Z_0..Z_{B-1} and B; selected D, E and F_s with one lambda
        var (s, l) = ShortPuts();
        var c = Committed.Of(s, l, CollateralFor(0, s, l, -1), 0);
        var w = c.Witness(Model);
        var bases = c.CS.Append(Pc.B).ToArray();
        var rho = bases.Select(_ => Scalar.Random()).ToArray();
        var proof = SelectionProof.Prove(Binding, Trader, 0, bases, w.Flags[0], rho, out var selected);
        Assert.True(proof.Verify(Binding, Trader, 0, bases, selected));
        var f = selected[^1];   // F_0 = lam B + rho_B B~
        Assert.Equal(Pc.Commit(Scalar.One, rho[^1]), f);
        // an F that holds the other bit does not pass the selection proof
        var flipped = (RistrettoPoint[])selected.Clone();
        flipped[^1] = Pc.Commit(Scalar.Zero, rho[^1]);
        Assert.False(proof.Verify(Binding, Trader, 0, bases, flipped));
    }

    [Fact]
    public void DistancesOutsideTheProofRangeAreReported()
    {
        var s = new ulong[Model.Bands];
        var l = new ulong[Model.Bands];
        s[2 * 8 + 3] = ulong.MaxValue / 2;   // a short far beyond what 2^63 units of 10^-8 USD cover
        Assert.Null(Model.Distance(0, s, l, 0, 0));
        Assert.Null(FlagProof.Witness(Model, s, l, 0, 0, s.Select(_ => Scalar.Zero).ToArray(), l.Select(_ => Scalar.Zero).ToArray(), Scalar.Zero, Scalar.Zero));
    }
}

public class FlagStatementDefinitionTests
{
    [Fact]
    public void TheDefinitionDescribesWhatTheCodeProves()
    {
        var d = DVV.ZkRisk.Crypto.Statements.StatementDefinition.Load(Path.Combine(DVV.ZkRisk.Crypto.Statements.StatementDefinitions.Locate(), "flag.v1.json"));
        Assert.Equal(("flag", 1), (d.Name, d.Version));
        Assert.Equal(FlagProof.TranscriptLabel, d.TranscriptLabel);
        Assert.Equal(FlagModel.DistanceBits, d.BitWidth);
    }
}
