namespace DVV.ZkRisk.Vaults;

/// <summary>
/// One perpetual order book with finite depth that refills. The mark is the fundamental price times the impact of the
/// order flow, split into a permanent part, linear in the signed volume, and a transient part that follows the square
/// root of the recent signed volume:
/// <code>
///   mark    = F exp(J_perm + J_trans)
///   J_perm += theta X q / D                       linear permanent impact (Huberman and Stanzl 2004: anything else lets a
///                                                 round trip move the price for free)
///   Y       = Y 2^(-dt/h_J) + q                   recent signed flow, decaying with the book's resilience
///   J_trans = (1 - theta) X sign(Y) sqrt(|Y| / D_t)   the square-root law of metaorder impact (Bouchaud et al.; Toth et al. 2011)
///   D_t    -= c |q|,  D_t += (D - D_t)(1 - 2^(-dt/h_D))   depth taken by trades, refilling over time
///   fill    = mark_before exp((J_after - J_before) / 2)   walking the book: the average of the prices crossed
/// </code>
/// X is the depth move: a full book's D coins, sold at once, move the mark by X. The liquidity providers take the
/// other side of every trade; <see cref="Simulation"/> books their cash.
/// </summary>
public sealed class PerpMarket
{
    private readonly double _x, _depth0, _consumption, _theta, _refill, _decay, _minDepth;
    private double _fundamental, _jPerm, _flow, _depth;

    public PerpMarket(SimulationConfig c, double initialFundamental)
    {
        _x = c.DepthMove;
        _depth0 = c.DepthCoins;
        _depth = _depth0;
        _minDepth = 0.05 * _depth0;
        _consumption = c.DepthConsumption;
        _theta = c.PermanentImpactShare;
        _refill = 1 - Math.Pow(2, -c.BlockSeconds / c.DepthRefillHalfLifeSeconds);
        _decay = Math.Pow(2, -c.BlockSeconds / c.ImpactHalfLifeSeconds);
        _fundamental = initialFundamental;
    }

    public double Mark => _fundamental * Math.Exp(Impact);
    public double Fundamental => _fundamental;
    /// <summary>Coins that would move the mark by the depth move now (D_t).</summary>
    public double Depth => _depth;
    /// <summary>ln(mark / fundamental).</summary>
    public double Impact => _jPerm + (1 - _theta) * _x * Math.Sign(_flow) * Math.Sqrt(Math.Abs(_flow) / _depth);

    /// <summary>Next block: the fundamental moves, the book refills, the recent flow decays.</summary>
    public void Advance(double fundamental)
    {
        _fundamental = fundamental;
        _flow *= _decay;
        _depth += (_depth0 - _depth) * _refill;
    }

    /// <summary>Executes a signed order of q coins (positive buys) against the book; returns the average fill price.</summary>
    public double Execute(double q)
    {
        if (q == 0) return Mark;
        double before = Impact, mark = Mark;
        _jPerm += _theta * _x * q / _depth0;
        _flow += q;
        _depth = Math.Max(_minDepth, _depth - _consumption * Math.Abs(q));
        return mark * Math.Exp((Impact - before) / 2);
    }
}
