using System.Buffers.Binary;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// The vector generators G_j, H_j of an aggregated Bulletproof, one independent chain per party
/// (dalek bulletproofs 4.0 BulletproofGens): party i's G chain is labelled "G" || u32le(i), its H chain
/// "H" || u32le(i). GensCapacity is the largest bit size n, PartyCapacity the largest m.
/// </summary>
public sealed class BulletproofGens
{
    private readonly RistrettoPoint[][] _g, _h;

    public int GensCapacity { get; }
    public int PartyCapacity { get; }

    public BulletproofGens(int gensCapacity, int partyCapacity)
    {
        if (gensCapacity <= 0 || partyCapacity <= 0) throw new ArgumentOutOfRangeException(nameof(gensCapacity), "capacities must be positive");
        GensCapacity = gensCapacity;
        PartyCapacity = partyCapacity;
        _g = new RistrettoPoint[partyCapacity][];
        _h = new RistrettoPoint[partyCapacity][];
        Span<byte> label = stackalloc byte[5];
        for (int i = 0; i < partyCapacity; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(label[1..], (uint)i);
            label[0] = (byte)'G';
            _g[i] = GeneratorsChain.Take(label, gensCapacity);
            label[0] = (byte)'H';
            _h[i] = GeneratorsChain.Take(label, gensCapacity);
        }
    }

    /// <summary>G generator j of party i.</summary>
    public RistrettoPoint G(int party, int j) => _g[party][j];

    /// <summary>H generator j of party i.</summary>
    public RistrettoPoint H(int party, int j) => _h[party][j];

    /// <summary>The first n G generators of each of the first m parties, concatenated party by party.</summary>
    public RistrettoPoint[] AggregatedG(int n, int m) => Aggregate(_g, n, m);

    public RistrettoPoint[] AggregatedH(int n, int m) => Aggregate(_h, n, m);

    private RistrettoPoint[] Aggregate(RistrettoPoint[][] chains, int n, int m)
    {
        if (n > GensCapacity || m > PartyCapacity) throw new ArgumentOutOfRangeException(nameof(n), $"generators for n={n}, m={m} exceed capacity ({GensCapacity}, {PartyCapacity})");
        var r = new RistrettoPoint[n * m];
        for (int i = 0; i < m; i++) Array.Copy(chains[i], 0, r, i * n, n);
        return r;
    }
}
