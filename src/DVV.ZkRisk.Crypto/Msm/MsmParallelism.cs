namespace DVV.ZkRisk.Crypto;

/// <summary>
/// How many cores the multiscalar multiplications and the range-proof prover may use. Defaults to every
/// logical core; benchmarks set 1 to measure single-threaded figures (dalek's WASM build is single-threaded).
/// Work is split only when each part is large enough to pay for the fork (see the callers' thresholds).
/// </summary>
public static class MsmParallelism
{
    private static int _max = Environment.ProcessorCount;

    /// <summary>Upper bound on concurrent workers (at least 1).</summary>
    public static int MaxDegreeOfParallelism
    {
        get => _max;
        set => _max = Math.Max(1, value);
    }

    /// <summary>Number of workers for <paramref name="work"/> units when each worker should get at least <paramref name="minPerWorker"/>.</summary>
    internal static int WorkersFor(long work, long minPerWorker)
    {
        if (_max <= 1 || work < 2 * minPerWorker) return 1;
        return (int)Math.Min(_max, work / minPerWorker);
    }

    internal static ParallelOptions Options => new() { MaxDegreeOfParallelism = _max };

    /// <summary>Runs body(0..count-1) on up to <see cref="MaxDegreeOfParallelism"/> cores (inline when count is 1).</summary>
    internal static void For(int count, Action<int> body)
    {
        if (count == 1) { body(0); return; }
        Parallel.For(0, count, Options, body);
    }

    /// <summary>Runs two actions concurrently when more than one core is allowed and <paramref name="concurrent"/> is set.</summary>
    internal static void Invoke(bool concurrent, Action a, Action b)
    {
        if (_max <= 1 || !concurrent) { a(); b(); return; }
        Parallel.Invoke(Options, a, b);
    }
}
