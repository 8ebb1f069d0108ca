namespace DVV.ZkRisk.Protocol.Diagnostics;

/// <summary>
/// Counts the expensive per-trader steps (book parses, margin evaluations) done inside a scope, so that a test can show
/// that an epoch parses each book once and values it once (issue 12). The scope flows with the execution context, so
/// work done on Parallel.For and Task.Run threads started inside it is counted; outside a scope counting costs one
/// AsyncLocal read.
/// </summary>
internal sealed class WorkCounters : IDisposable
{
    private static readonly AsyncLocal<WorkCounters?> Current = new();
    private readonly WorkCounters? _outer;
    private int _bookParses, _marginEvaluations;

    private WorkCounters() { _outer = Current.Value; Current.Value = this; }

    public static WorkCounters Begin() => new();

    public int BookParses => Volatile.Read(ref _bookParses);
    public int MarginEvaluations => Volatile.Read(ref _marginEvaluations);

    internal static void BookParsed() { if (Current.Value is { } c) Interlocked.Increment(ref c._bookParses); }
    internal static void MarginEvaluated() { if (Current.Value is { } c) Interlocked.Increment(ref c._marginEvaluations); }

    public void Dispose() => Current.Value = _outer;
}
