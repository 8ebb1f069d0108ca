using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace DVV.ZkRisk.Risk;

/// <summary>
/// Least-squares calibration of a raw SVI slice to implied-vol quotes, by the quasi-explicit
/// method of De Marco and Martini (Zeliade white paper, 2009): with y = (k - m)/sigma the model is
/// <code>  w = a + d y + c sqrt(y^2 + 1),   c = b sigma,  d = rho b sigma  </code>
/// which is linear in (a, d, c) for fixed (m, sigma). The inner problem is a 3-variable convex
/// quadratic programme under the linear constraints
/// <code>  c &gt;= 0,  |d| &lt;= c,  c + |d| &lt;= 4 sigma  </code>
/// (|rho| &lt;= 1 and b (1 + |rho|) &lt;= 4, the Rogers-Tehranchi bound on the slope of total variance),
/// solved exactly by enumerating active sets (the optimum of a convex QP is the best feasible
/// KKT point over all active sets). The outer problem over (m, ln sigma) is two-dimensional and
/// is searched with MathNet's Nelder-Mead simplex from several starting points. Negative total
/// variance (a + sqrt(c^2 - d^2) &lt; 0) is penalised.
/// </summary>
public static class SviCalibrator
{
    /// <summary>Calibrates one slice to Black vols quoted at log-moneyness <paramref name="logMoneyness"/>.</summary>
    /// <param name="expiryYears">T of the slice</param>
    /// <param name="logMoneyness">k_i = ln(K_i / F_T), at least 5 distinct points</param>
    /// <param name="impliedVols">Black vols sigma_i (fractions)</param>
    /// <param name="weights">optional non-negative weights (default 1)</param>
    public static SviFit Calibrate(double expiryYears, IReadOnlyList<double> logMoneyness, IReadOnlyList<double> impliedVols,
                                   IReadOnlyList<double>? weights = null)
    {
        RiskInputException.RequirePositive(expiryYears, "calibration expiry (years)");
        ArgumentNullException.ThrowIfNull(logMoneyness);
        ArgumentNullException.ThrowIfNull(impliedVols);
        int n = logMoneyness.Count;
        if (impliedVols.Count != n) throw new RiskInputException($"calibration: {n} log-moneyness points but {impliedVols.Count} vols");
        if (weights is not null && weights.Count != n) throw new RiskInputException($"calibration: {n} quotes but {weights.Count} weights");
        if (n < 5) throw new RiskInputException($"calibration needs at least 5 quotes for 5 SVI parameters (got {n})");

        var k = new double[n];
        var w = new double[n];
        var wt = new double[n];
        for (int i = 0; i < n; i++)
        {
            RiskInputException.RequireFinite(logMoneyness[i], $"calibration log-moneyness #{i}");
            RiskInputException.RequirePositive(impliedVols[i], $"calibration vol #{i}");
            k[i] = logMoneyness[i];
            w[i] = impliedVols[i] * impliedVols[i] * expiryYears;
            wt[i] = weights?[i] ?? 1.0;
            RiskInputException.RequireNonNegative(wt[i], $"calibration weight #{i}");
        }
        if (k.Distinct().Count() < 5) throw new RiskInputException("calibration needs at least 5 distinct strikes");
        double kMin = k.Min(), kMax = k.Max(), span = Math.Max(kMax - kMin, 1e-3);

        var problem = new InnerProblem(k, w, wt);
        int evaluations = 0;
        double Objective(Vector<double> x)
        {
            evaluations++;
            double m = x[0], sig = Math.Exp(x[1]);
            if (!double.IsFinite(m) || !(sig > 1e-6) || sig > 10 || Math.Abs(m) > 10 * (1 + span)) return 1e10;
            return problem.Solve(m, sig, out _, out _, out _);
        }

        double best = double.PositiveInfinity;
        double bestM = 0, bestLnSig = Math.Log(0.1);
        var objective = ObjectiveFunction.Value(Objective);
        foreach (double m0 in new[] { kMin + 0.25 * span, 0.5 * (kMin + kMax), kMax - 0.25 * span, 0.0 })
        foreach (double s0 in new[] { 0.05, 0.2, 0.6 })
        {
            var start = Vector<double>.Build.DenseOfArray(new[] { m0, Math.Log(s0 * Math.Max(span, 0.2)) });
            var step = Vector<double>.Build.DenseOfArray(new[] { 0.1 * span, 0.5 });
            MinimizationResult r;
            try { r = NelderMeadSimplex.Minimum(objective, start, step, 1e-14, 4000); }
            catch (MaximumIterationsException) { continue; }
            if (r.FunctionInfoAtMinimum.Value < best)
            {
                best = r.FunctionInfoAtMinimum.Value;
                bestM = r.MinimizingPoint[0];
                bestLnSig = r.MinimizingPoint[1];
            }
        }
        if (!double.IsFinite(best) || best >= 1e9) throw new RiskInputException("SVI calibration failed to find a valid slice");

        double sigma = Math.Exp(bestLnSig);
        problem.Solve(bestM, sigma, out double a, out double d, out double c);
        double b = c / sigma;
        double rho = c > 0 ? Math.Clamp(d / c, -0.999999, 0.999999) : 0.0;
        // Guard the (penalised, but possibly touched) boundary of non-negative variance.
        double minW = a + b * sigma * Math.Sqrt(1 - rho * rho);
        if (minW < 0) a -= minW;
        var slice = new SviSlice(expiryYears, a, b, rho, bestM, sigma);

        double sumW = 0, sse = 0, sseVol = 0;
        for (int i = 0; i < n; i++)
        {
            double e = slice.TotalVariance(k[i]) - w[i];
            sse += wt[i] * e * e;
            sumW += wt[i];
            double ev = slice.ImpliedVol(k[i]) - impliedVols[i];
            sseVol += ev * ev;
        }
        return new SviFit(slice, Math.Sqrt(sseVol / n), Math.Sqrt(sse / Math.Max(sumW, 1e-300)), evaluations);
    }

    /// <summary>The inner linear least-squares problem in (a, d, c) for fixed (m, sigma).</summary>
    private sealed class InnerProblem(double[] k, double[] w, double[] wt)
    {
        // Constraint rows n . (a, d, c) + e >= 0; e scales with sigma for the last two.
        private static readonly double[][] Normals =
        {
            new double[] { 0, 0, 1 },   // c >= 0
            new double[] { 0, -1, 1 },  // c - d >= 0
            new double[] { 0, 1, 1 },   // c + d >= 0
            new double[] { 0, -1, -1 }, // 4 sigma - c - d >= 0
            new double[] { 0, 1, -1 },  // 4 sigma - c + d >= 0
        };
        private static readonly int[][] ActiveSets = BuildActiveSets();

        private static int[][] BuildActiveSets()
        {
            var sets = new List<int[]> { Array.Empty<int>() };
            for (int i = 0; i < 5; i++) sets.Add(new[] { i });
            for (int i = 0; i < 5; i++) for (int j = i + 1; j < 5; j++) sets.Add(new[] { i, j });
            for (int i = 0; i < 5; i++) for (int j = i + 1; j < 5; j++) for (int l = j + 1; l < 5; l++) sets.Add(new[] { i, j, l });
            return sets.ToArray();
        }

        /// <summary>Returns the weighted sum of squared residuals (plus a penalty) at the optimum.</summary>
        public double Solve(double m, double sigma, out double a, out double d, out double c)
        {
            // Normal equations H x = g with H = A^T W A, g = A^T W w; also keep w^T W w for the SSE.
            Span<double> h = stackalloc double[9];
            Span<double> g = stackalloc double[3];
            double ww = 0;
            for (int i = 0; i < k.Length; i++)
            {
                double y = (k[i] - m) / sigma;
                double z = Math.Sqrt(y * y + 1);
                double om = wt[i];
                double r0 = 1, r1 = y, r2 = z;
                h[0] += om * r0 * r0; h[1] += om * r0 * r1; h[2] += om * r0 * r2;
                h[4] += om * r1 * r1; h[5] += om * r1 * r2; h[8] += om * r2 * r2;
                g[0] += om * r0 * w[i]; g[1] += om * r1 * w[i]; g[2] += om * r2 * w[i];
                ww += om * w[i] * w[i];
            }
            h[3] = h[1]; h[6] = h[2]; h[7] = h[5];

            double bestSse = double.PositiveInfinity;
            a = d = c = 0;
            Span<double> kkt = stackalloc double[36];
            Span<double> rhs = stackalloc double[6];
            foreach (var set in ActiveSets)
            {
                int dim = 3 + set.Length;
                kkt.Clear(); rhs.Clear();
                for (int r = 0; r < 3; r++)
                {
                    for (int col = 0; col < 3; col++) kkt[r * dim + col] = h[r * 3 + col];
                    rhs[r] = g[r];
                }
                for (int q = 0; q < set.Length; q++)
                {
                    var nrm = Normals[set[q]];
                    double e = set[q] >= 3 ? 4 * sigma : 0;
                    for (int col = 0; col < 3; col++)
                    {
                        kkt[(3 + q) * dim + col] = nrm[col];
                        kkt[col * dim + 3 + q] = nrm[col];
                    }
                    rhs[3 + q] = -e;
                }
                if (!SolveDense(kkt[..(dim * dim)], rhs[..dim], dim)) continue;
                double xa = rhs[0], xd = rhs[1], xc = rhs[2];
                bool feasible = true;
                for (int q = 0; q < 5 && feasible; q++)
                {
                    var nrm = Normals[q];
                    double e = q >= 3 ? 4 * sigma : 0;
                    if (nrm[1] * xd + nrm[2] * xc + e < -1e-12 * (1 + sigma)) feasible = false;
                }
                if (!feasible) continue;
                // SSE = w'Ww - 2 x'g + x'Hx
                double xHx = xa * (h[0] * xa + h[1] * xd + h[2] * xc)
                           + xd * (h[3] * xa + h[4] * xd + h[5] * xc)
                           + xc * (h[6] * xa + h[7] * xd + h[8] * xc);
                double sse = ww - 2 * (xa * g[0] + xd * g[1] + xc * g[2]) + xHx;
                if (sse < bestSse) { bestSse = sse; a = xa; d = xd; c = xc; }
                // A feasible unconstrained minimum of a convex QP is the constrained minimum.
                if (set.Length == 0) break;
            }
            if (!double.IsFinite(bestSse)) return 1e10;
            double minW = a + Math.Sqrt(Math.Max(c * c - d * d, 0));
            double penalty = minW < 0 ? 1e3 * minW * minW + 1e-3 * -minW : 0;
            return Math.Max(bestSse, 0) + penalty;
        }

        /// <summary>Gaussian elimination with partial pivoting; solution overwrites rhs.</summary>
        private static bool SolveDense(Span<double> a, Span<double> b, int n)
        {
            for (int col = 0; col < n; col++)
            {
                int piv = col;
                double best = Math.Abs(a[col * n + col]);
                for (int r = col + 1; r < n; r++)
                {
                    double v = Math.Abs(a[r * n + col]);
                    if (v > best) { best = v; piv = r; }
                }
                if (best < 1e-14) return false;
                if (piv != col)
                {
                    for (int j = 0; j < n; j++) (a[col * n + j], a[piv * n + j]) = (a[piv * n + j], a[col * n + j]);
                    (b[col], b[piv]) = (b[piv], b[col]);
                }
                for (int r = col + 1; r < n; r++)
                {
                    double f = a[r * n + col] / a[col * n + col];
                    if (f == 0) continue;
                    for (int j = col; j < n; j++) a[r * n + j] -= f * a[col * n + j];
                    b[r] -= f * b[col];
                }
            }
            for (int r = n - 1; r >= 0; r--)
            {
                double s = b[r];
                for (int j = r + 1; j < n; j++) s -= a[r * n + j] * b[j];
                b[r] = s / a[r * n + r];
            }
            return true;
        }
    }
}
