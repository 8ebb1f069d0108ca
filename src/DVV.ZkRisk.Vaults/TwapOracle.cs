namespace DVV.ZkRisk.Vaults;

/// <summary>Arithmetic time-weighted average of the mark over the last W blocks (equal block times): the price that the
/// vaults' pricing and the venue's margins read. A longer window resists a short push of the mark (manipulation) and
/// lags a real move (margin calls come later, at worse prices).</summary>
public sealed class TwapOracle
{
    private readonly double[] _ring;
    private int _next, _count;
    private double _sum;

    public TwapOracle(int windowBlocks, double initial)
    {
        if (windowBlocks < 1) throw new ArgumentOutOfRangeException(nameof(windowBlocks));
        _ring = new double[windowBlocks];
        Observe(initial);
    }

    public int WindowBlocks => _ring.Length;
    public double Price => _sum / _count;

    public void Observe(double mark)
    {
        if (_count == _ring.Length) _sum -= _ring[_next];
        else _count++;
        _ring[_next] = mark;
        _sum += mark;
        _next = (_next + 1) % _ring.Length;
        if (_next == 0) { _sum = 0; for (int i = 0; i < _count; i++) _sum += _ring[i]; }   // re-sum once per lap: no drift
    }
}
