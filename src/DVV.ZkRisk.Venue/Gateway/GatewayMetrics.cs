using System.Diagnostics;

namespace DVV.ZkRisk.Venue.Gateway;

/// <summary>Where the gateway's time goes, summed over accepted submissions (thread-safe).</summary>
internal sealed class GatewayMetrics
{
    private long _decode, _signature, _proof, _hpke, _opening, _storage, _count, _refused;

    public enum Stage { Decode, Signature, Proof, Hpke, Opening, Storage }

    internal void Add(Stage stage, long ticks)
    {
        switch (stage)
        {
            case Stage.Decode: Interlocked.Add(ref _decode, ticks); break;
            case Stage.Signature: Interlocked.Add(ref _signature, ticks); break;
            case Stage.Proof: Interlocked.Add(ref _proof, ticks); break;
            case Stage.Hpke: Interlocked.Add(ref _hpke, ticks); break;
            case Stage.Opening: Interlocked.Add(ref _opening, ticks); break;
            case Stage.Storage: Interlocked.Add(ref _storage, ticks); break;
        }
    }

    internal void Accepted() => Interlocked.Increment(ref _count);
    internal void Refused() => Interlocked.Increment(ref _refused);
    /// <summary>Submissions refused at capacity (RESOURCE_EXHAUSTED).</summary>
    public long RefusedAtCapacity => Interlocked.Read(ref _refused);

    public sealed record Snapshot(long Accepted, TimeSpan Decode, TimeSpan Signature, TimeSpan Proof, TimeSpan Hpke, TimeSpan Opening, TimeSpan Storage)
    {
        public TimeSpan Total => Decode + Signature + Proof + Hpke + Opening + Storage;
    }

    public Snapshot Read() => new(Interlocked.Read(ref _count), T(_decode), T(_signature), T(_proof), T(_hpke), T(_opening), T(_storage));
    public void Reset() { _decode = _signature = _proof = _hpke = _opening = _storage = _count = _refused = 0; }

    private static TimeSpan T(long ticks) => TimeSpan.FromSeconds(Interlocked.Read(ref ticks) / (double)Stopwatch.Frequency);
}
