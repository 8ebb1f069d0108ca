using DVV.ZkRisk.Protocol.Sealing;
using DVV.ZkRisk.Risk;

namespace DVV.ZkRisk.Vaults;

/// <summary>
/// The epoch's aggregates computed in the clear by the same code the sealer runs before it proves them (band exposures,
/// the band-model flags of <see cref="Protocol.Flags.FlagModel"/> with the sealer's conservative rule for a book it
/// cannot value, <see cref="LsvAccumulator"/>, the withheld cells' forced volume per shock with the epoch layer's
/// integer weights): what a sweep of thousands of runs can afford. Nothing is proven; reports say so.
/// </summary>
internal sealed class ClearAggregates : IAggregateSource
{
    public string Description => "not proven (risk engine in the clear, the sealer's own computation)";
    public bool Proven => false;

    public ProvenAggregates Aggregate(long epoch, MarginContext context, IReadOnlyList<PositionBook> books, TraderRisk[] risk, ulong[] shortE4)
    {
        var p = context.Parameters;
        int bands = context.Bands.Count, shocks = context.Shocks.Count;
        var acc = new LsvAccumulator(p);
        var model = Protocol.Flags.FlagModel.Compute(p, context.Market);
        for (int i = 0; i < books.Count; i++)
        {
            // the sealer's flags: the band model from the committed exposures and collateral, everywhere when that fails
            var exposure = BandExposure.Of(books[i], context.Bands, context.Market);
            var flags = Protocol.Flags.CollateralUnits.TryOf(books[i], out var usd, out var coin, out _, out _)
                ? model.Flags(exposure.Short, exposure.Long, usd, coin) : null;
            acc.Add(flags ?? LiquidationFlags.All(shocks), shortE4.AsSpan(i * bands, bands));
        }
        var lsv = acc.Totals();
        var count = acc.ContributorCounts();
        // withheld cells (1..k_min-1 contributors) still count, through the per-shock remainder W_s = Sum_b w_sb LSV_sb with
        // the epoch layer's integer weights w_sb = round(h_b(s) 2^16): the same figure the sealer proves and the verifier reads
        var w = LsfWeights.Compute(p, context.Market);
        var withheld = new double[shocks];
        for (int s = 0; s < shocks; s++)
        {
            UInt128 remainder = 0;
            for (int b = 0; b < bands; b++)
                if (count[s, b] > 0 && count[s, b] < p.KMin)
                    remainder += (UInt128)w[s * bands + b] * lsv[s, b];
            withheld[s] = (double)remainder / BundleFormat.LsfWeightScale / Quantity.UnitsPerContract;
        }
        return ProvenAggregates.FromVerifiedTotals(epoch, p, lsv, count, withheld);
    }
}
