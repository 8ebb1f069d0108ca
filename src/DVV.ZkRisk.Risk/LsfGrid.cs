namespace DVV.ZkRisk.Risk;

/// <summary>One liquidation shock s: spot (and every forward) moves by <paramref name="SpotShock"/>, vols by <paramref name="VolShock"/> (relative).</summary>
public readonly record struct LsfShock(double SpotShock, double VolShock);

/// <summary>
/// The LSF shock grid of DESIGN.md 4 (default 12 spot shocks from -30% to +30%, each with a relative
/// vol shock). Under each shock s the engine decides a trader's liquidation flag lam_is and
/// evaluates h_b(s); aggregates LSV_sb are indexed by it. At most 32 shocks (flags are a bit mask).
/// </summary>
public sealed class LsfGrid
{
    private readonly LsfShock[] _shocks;

    public LsfGrid(ParameterSet parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        _shocks = new LsfShock[parameters.LsfSpotShocks.Length];
        for (int i = 0; i < _shocks.Length; i++)
            _shocks[i] = new LsfShock(parameters.LsfSpotShocks[i], parameters.LsfVolShocks[i]);
    }

    public int Count => _shocks.Length;
    public LsfShock this[int s] => _shocks[s];
    public IReadOnlyList<LsfShock> Shocks => _shocks;
}
