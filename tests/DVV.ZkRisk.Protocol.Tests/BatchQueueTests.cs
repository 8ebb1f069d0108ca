using DVV.ZkRisk.Venue.Gateway;

namespace DVV.ZkRisk.Protocol.Tests;

/// <summary>The natural batching under the gateway's proof checks and group commit.</summary>
public sealed class BatchQueueTests
{
    [Fact]
    public async Task Items_arriving_while_a_batch_runs_form_the_next_batch_and_a_lone_item_runs_at_once()
    {
        using var gate = new SemaphoreSlim(0);
        var sizes = new List<int>();
        await using var q = new BatchQueue<int, int>(async xs =>
        {
            lock (sizes) sizes.Add(xs.Count);
            if (sizes.Count == 1) await gate.WaitAsync();
            return xs.Select(x => x * 10).ToArray();
        }, maxBatch: 4, window: TimeSpan.FromSeconds(30));
        var first = q.EnqueueAsync(1);
        while (q.Stats.Batches == 0) await Task.Delay(5);   // running alone, without waiting for the window
        var rest = Enumerable.Range(2, 6).Select(i => q.EnqueueAsync(i)).ToArray();
        gate.Release();
        Assert.Equal(10, await first);
        var values = await Task.WhenAll(rest);
        Assert.Equal(new[] { 20, 30, 40, 50, 60, 70 }, values);
        Assert.Equal([1, 4, 2], sizes);   // then at most MaxBatch at a time
        Assert.Equal(4, q.Stats.MaxBatch);
    }

    [Fact]
    public async Task The_window_waits_only_while_more_are_on_their_way()
    {
        int upstream = 1;
        var sizes = new List<int>();
        await using var q = new BatchQueue<int, int>(xs => { lock (sizes) sizes.Add(xs.Count); return Task.FromResult(xs.ToArray()); },
            maxBatch: 8, window: TimeSpan.FromSeconds(30), upstream: () => Volatile.Read(ref upstream));
        var a = q.EnqueueAsync(1);
        await Task.Delay(100);
        Assert.False(a.IsCompleted);          // one more is announced: the batch waits for it
        Volatile.Write(ref upstream, 0);      // the announced one arrives, and nothing else is on its way
        var b = q.EnqueueAsync(2);
        await Task.WhenAll(a, b);
        Assert.Equal([2], sizes);
    }

    [Fact]
    public async Task A_failing_batch_fails_each_of_its_items_and_the_queue_goes_on()
    {
        int calls = 0;
        await using var q = new BatchQueue<int, int>(xs =>
            Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("store down") : Task.FromResult(xs.ToArray()), maxBatch: 8);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => q.EnqueueAsync(1));
        Assert.Equal("store down", e.Message);
        Assert.Equal(2, await q.EnqueueAsync(2));
    }

    [Fact]
    public async Task A_cancelled_wait_does_not_cancel_the_work()
    {
        using var gate = new SemaphoreSlim(0);
        int processed = 0;
        await using var q = new BatchQueue<int, int>(async xs => { await gate.WaitAsync(); Interlocked.Add(ref processed, xs.Count); return xs.ToArray(); }, maxBatch: 8);
        using var cts = new CancellationTokenSource();
        var t = q.EnqueueAsync(1, cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => t);
        gate.Release();
        while (Volatile.Read(ref processed) == 0) await Task.Delay(5);
    }
}
