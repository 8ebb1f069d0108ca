using System.Threading.Channels;

namespace DVV.ZkRisk.Venue.Gateway;

/// <summary>How a <see cref="BatchQueue{TIn, TOut}"/> has batched so far (thread-safe counters).</summary>
internal sealed class BatchStats
{
    private long _batches, _items, _max;

    internal void Add(int size)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _items, size);
        long m;
        while (size > (m = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, size, m) != m) { }
    }

    public long Batches => Interlocked.Read(ref _batches);
    public long Items => Interlocked.Read(ref _items);
    public long MaxBatch => Interlocked.Read(ref _max);
    public double MeanBatch => Batches == 0 ? 0 : (double)Items / Batches;
    public void Reset() { Interlocked.Exchange(ref _batches, 0); Interlocked.Exchange(ref _items, 0); Interlocked.Exchange(ref _max, 0); }
}

/// <summary>
/// Work that arrives together is processed together (natural batching, as a database's group commit): one loop takes
/// everything waiting, up to <see cref="MaxBatch"/>, and hands it to the processor at once; while that runs, new arrivals
/// queue and form the next batch. A lone item is processed at once (no timer), so under no load batching adds no
/// latency; under load the batch grows with the queue. With a <see cref="Window"/>, a batch smaller than
/// <see cref="MaxBatch"/> waits up to that long for more while <see cref="Upstream"/> says items are on their way (the
/// gateway counts submissions still in their earlier checks).
/// The processor returns one result per item, in order; if it throws, every item of the batch gets the exception.
/// Capacity is bounded by whoever enqueues (the gateway's in-flight limit), not here.
/// </summary>
internal sealed class BatchQueue<TIn, TOut> : IAsyncDisposable
{
    private sealed record Item(TIn Value, TaskCompletionSource<TOut> Done);

    private readonly Channel<Item> _channel = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<TIn>, Task<TOut[]>> _process;
    private readonly Task _loop;

    public BatchQueue(Func<IReadOnlyList<TIn>, Task<TOut[]>> process, int maxBatch, TimeSpan window = default, Func<int>? upstream = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _process = process;
        MaxBatch = maxBatch;
        Window = window;
        Upstream = upstream ?? (() => 0);
        _loop = Task.Run(RunAsync);
    }

    public int MaxBatch { get; }
    public TimeSpan Window { get; }
    public Func<int> Upstream { get; }
    public BatchStats Stats { get; } = new();

    /// <summary>The item's result once its batch is processed. Cancelling <paramref name="ct"/> stops the wait, not the
    /// work: an item that was queued is processed with its batch.</summary>
    public Task<TOut> EnqueueAsync(TIn value, CancellationToken ct = default)
    {
        var done = new TaskCompletionSource<TOut>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_channel.Writer.TryWrite(new Item(value, done))) throw new ObjectDisposedException(nameof(BatchQueue<TIn, TOut>));
        return ct.CanBeCanceled ? done.Task.WaitAsync(ct) : done.Task;
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<Item>(MaxBatch);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var item)) batch.Add(item);
            if (Window > TimeSpan.Zero && batch.Count < MaxBatch && Upstream() > 0)
            {
                // more are on their way: give them the window to join this batch
                using var timer = new CancellationTokenSource(Window);
                try
                {
                    while (batch.Count < MaxBatch && Upstream() > 0 && await reader.WaitToReadAsync(timer.Token).ConfigureAwait(false))
                        while (batch.Count < MaxBatch && reader.TryRead(out var item)) batch.Add(item);
                }
                catch (OperationCanceledException) { }
            }
            if (batch.Count == 0) continue;
            Stats.Add(batch.Count);
            var values = new TIn[batch.Count];
            for (int i = 0; i < values.Length; i++) values[i] = batch[i].Value;
            try
            {
                var results = await _process(values).ConfigureAwait(false);
                if (results.Length != values.Length) throw new InvalidOperationException($"the batch processor returned {results.Length} results for {values.Length} items");
                for (int i = 0; i < results.Length; i++) batch[i].Done.TrySetResult(results[i]);
            }
            catch (Exception e)
            {
                foreach (var item in batch) item.Done.TrySetException(e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }
}
