namespace DVV.ZkRisk.Vaults;

/// <summary>
/// The fundamental price the market would follow without anyone on the book: per block of dt years,
/// <code>
///   ln F_{k+1} - ln F_k = -sigma^2 dt / 2 + sigma sqrt(dt) Z + J N + c_k
/// </code>
/// with Z ~ N(0,1), N ~ Poisson(lambda dt) jumps of log-size J ~ N(mu_J, sigma_J) (Merton 1976), and c_k the scripted
/// crash: ln(1 + move) spread evenly over the crash's blocks. Deterministic by seed (System.Random with a seed is
/// stable across runs and machines); the whole path is drawn up front so that every regime sees the same one.
/// </summary>
public sealed class ExogenousPath
{
    private readonly double[] _price;

    public ExogenousPath(SimulationConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        int n = c.Blocks;
        _price = new double[n + 1];
        var rng = new Random(unchecked(c.Seed * 7919 + 17));
        double dt = c.BlockSeconds / (365.0 * 86_400);
        double sig = c.ExogenousVol, drift = -0.5 * sig * sig * dt, vol = sig * Math.Sqrt(dt);
        double jumpP = c.JumpsPerYear * dt;
        int crashFrom = -1, crashBlocks = 0;
        if (c.Scenario == Scenario.Crash && c.CrashMove != 0)
        {
            crashFrom = (int)Math.Round(c.CrashStartSeconds / c.BlockSeconds);
            crashBlocks = Math.Max(1, (int)Math.Round(c.CrashSeconds / c.BlockSeconds));
        }
        double crashStep = crashBlocks > 0 ? Math.Log(1 + c.CrashMove) / crashBlocks : 0;
        double lnP = Math.Log(c.InitialSpot);
        _price[0] = c.InitialSpot;
        for (int k = 1; k <= n; k++)
        {
            double z = Gaussian(rng);
            double jump = 0;
            if (rng.NextDouble() < jumpP) jump = c.JumpMean + c.JumpStdDev * Gaussian(rng);
            lnP += drift + vol * z + jump;
            if (crashFrom >= 0 && k > crashFrom && k <= crashFrom + crashBlocks) lnP += crashStep;
            _price[k] = Math.Exp(lnP);
        }
    }

    public int Blocks => _price.Length - 1;

    /// <summary>Fundamental price after block k (k = 0: the initial spot).</summary>
    public double this[int k] => _price[k];

    public ReadOnlySpan<double> Prices => _price;

    /// <summary>Box-Muller (one of the pair; simple and deterministic).</summary>
    internal static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
