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

    /// <summary>
    /// Most generators (G and H together) with a verifier table: 512 * 6 KiB = 3 MiB (512 * 10 KiB = 5 MiB in the packed 4-way form with AVX2), i.e. n = 64 and m up to 4.
    /// Beyond that the tables no longer fit the per-core cache and Pippenger over plain points is faster
    /// (measured with `rp-sweep`), so larger (n, m) use the generic path.
    /// </summary>
    public const int MaxVerifierTabledGenerators = 512;

    /// <summary>
    /// Most generators with a prover folding table: 4096 * 6 KiB = 24 MiB (40 MiB in the packed 4-way form with AVX2; n = 64, m up to 32). Each table is read
    /// once per proof, so they pay even when they do not fit the cache; larger (n, m) fold without tables.
    /// </summary>
    public const int MaxFoldTabledGenerators = 4096;

    /// <summary>Most generators with a constant-time prover table: 4096 * 1 KiB = 4 MiB, plus 1.25 KiB each for the packed 4-way entries with AVX2 (9 MiB in all; n = 64, m up to 32).</summary>
    public const int MaxConstantTimeTabledGenerators = 4096;

    /// <summary>
    /// Most generators with shifted copies for the verifier's larger shapes (2nm above <see cref="MaxVerifierTabledGenerators"/>):
    /// 8192 * 2.2 KiB = 18 MiB, i.e. n = 64 and m up to 64.
    /// </summary>
    public const int MaxShiftedGenerators = 8192;

    private readonly TableCache<ShiftedBaseTable> _shiftedTables = new(p => new ShiftedBaseTable(p), MaxShiftedGenerators);
    private readonly TableCache<GeneratorTable> _verifierTables = new(p => new GeneratorTable(p, 8, 1), MaxVerifierTabledGenerators);
    private readonly TableCache<GeneratorTable> _foldTables = new(p => new GeneratorTable(p, 5, 8), MaxFoldTabledGenerators);
    private readonly TableCache<CtAffineTable> _ctTables = new(p => new CtAffineTable(p), MaxConstantTimeTabledGenerators);

    /// <summary>
    /// Width-8 NAF tables of G then H for (n, m) in the order of <see cref="AggregatedG"/>, <see cref="AggregatedH"/>
    /// (2nm entries), built on first use per party prefix; null beyond <see cref="MaxVerifierTabledGenerators"/>.
    /// </summary>
    internal GeneratorTable[]? VerifierTables(int n, int m) => _verifierTables.Get(this, n, m);

    /// <summary>Shifted copies 2^(12k) G (G then H) for <see cref="FixedBasePippenger"/>; null beyond <see cref="MaxShiftedGenerators"/>.</summary>
    internal ShiftedBaseTable[]? ShiftedTables(int n, int m) => _shiftedTables.Get(this, n, m);

    /// <summary>Eight-span width-5 comb tables (G then H; 32 doublings per multiplication) for the prover's first generator folding; null beyond <see cref="MaxFoldTabledGenerators"/>.</summary>
    internal GeneratorTable[]? FoldTables(int n, int m) => _foldTables.Get(this, n, m);

    /// <summary>Affine [1..8] tables (G then H) for the prover's constant-time MSMs over fixed generators; null beyond <see cref="MaxConstantTimeTabledGenerators"/>.</summary>
    internal CtAffineTable[]? ConstantTimeTables(int n, int m) => _ctTables.Get(this, n, m);

    /// <summary>Per-party tables, grown to the largest n asked for; at most maxGenerators tables in all (a shape that does not fit with the cached ones replaces them).</summary>
    private sealed class TableCache<T>(Func<Ristretto.EdwardsPoint, T> build, int maxGenerators) where T : class
    {
        private readonly object _lock = new();
        private T[][]? _g, _h;
        private int _count;

        public T[]? Get(BulletproofGens bp, int n, int m)
        {
            if (n > bp.GensCapacity || m > bp.PartyCapacity) throw new ArgumentOutOfRangeException(nameof(n), $"generators for n={n}, m={m} exceed capacity ({bp.GensCapacity}, {bp.PartyCapacity})");
            if (2L * n * m > maxGenerators) return null;
            lock (_lock)
            {
                _g ??= new T[bp.PartyCapacity][];
                _h ??= new T[bp.PartyCapacity][];
                int missing = 0;
                for (int j = 0; j < m; j++) missing += 2 * Math.Max(0, n - (_g[j]?.Length ?? 0));
                if (_count + missing > maxGenerators)
                {
                    // Another shape filled the cache: start over with this one (it fits alone), so memory stays bounded
                    // and the shape in use is the one with tables. Callers still holding old tables keep them alive.
                    Array.Clear(_g);
                    Array.Clear(_h);
                    _count = 0;
                    missing = 2 * n * m;
                }
                if (missing > 0)
                {
                    for (int j = 0; j < m; j++)
                    {
                        _g[j] = Grow(_g[j], bp._g[j], n);
                        _h[j] = Grow(_h[j], bp._h[j], n);
                    }
                    _count += missing;
                }
                var all = new T[2 * n * m];
                for (int j = 0; j < m; j++)
                {
                    Array.Copy(_g[j], 0, all, j * n, n);
                    Array.Copy(_h[j], 0, all, n * m + j * n, n);
                }
                return all;
            }
        }

        private T[] Grow(T[]? old, RistrettoPoint[] chain, int n)
        {
            int have = old?.Length ?? 0;
            if (have >= n) return old!;
            var t = new T[n];
            old?.CopyTo(t, 0);
            Parallel.For(have, n, MsmParallelism.Options, i => t[i] = build(chain[i].Inner));
            return t;
        }
    }

    private RistrettoPoint[] Aggregate(RistrettoPoint[][] chains, int n, int m)
    {
        if (n > GensCapacity || m > PartyCapacity) throw new ArgumentOutOfRangeException(nameof(n), $"generators for n={n}, m={m} exceed capacity ({GensCapacity}, {PartyCapacity})");
        var r = new RistrettoPoint[n * m];
        for (int i = 0; i < m; i++) Array.Copy(chains[i], 0, r, i * n, n);
        return r;
    }
}
