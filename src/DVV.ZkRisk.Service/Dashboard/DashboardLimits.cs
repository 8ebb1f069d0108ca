namespace DVV.ZkRisk.Service.Dashboard;

/// <summary>
/// What the page's unauthenticated endpoints may take at once: notice checks (CPU: a few hundred fixed-base
/// multiplications each, more with an opening) and open event streams (a connection and a channel each). Past either
/// limit a request is refused at once (429 or 503 with Retry-After), never queued.
/// </summary>
internal sealed class DashboardLimits(int noticeChecks, int eventStreams)
{
    private int _checks, _streams;

    public int NoticeChecks { get; } = noticeChecks;
    public int EventStreams { get; } = eventStreams;

    public bool TryStartCheck(out IDisposable? slot) => TryEnter(ref _checks, NoticeChecks, () => Interlocked.Decrement(ref _checks), out slot);

    public bool TryOpenStream(out IDisposable? slot) => TryEnter(ref _streams, EventStreams, () => Interlocked.Decrement(ref _streams), out slot);

    private static bool TryEnter(ref int count, int limit, Action leave, out IDisposable? slot)
    {
        if (Interlocked.Increment(ref count) > limit)
        {
            Interlocked.Decrement(ref count);
            slot = null;
            return false;
        }
        slot = new Slot(leave);
        return true;
    }

    private sealed class Slot(Action leave) : IDisposable
    {
        private int _left;
        public void Dispose() { if (Interlocked.Exchange(ref _left, 1) == 0) leave(); }
    }
}
