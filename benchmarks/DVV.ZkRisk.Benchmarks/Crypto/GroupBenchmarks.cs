using BenchmarkDotNet.Attributes;
using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Crypto.Field;
using DVV.ZkRisk.Crypto.Ristretto;
using DVV.ZkRisk.Oracles;

namespace DVV.ZkRisk.Benchmarks.Crypto;

/// <summary>
/// Field, scalar-multiplication and double-base timings with libsodium 1.0.18's
/// crypto_scalarmult_ristretto255 (and _base) measured in the same run as the baseline.
/// Both sides include decoding the input point and encoding the result, as libsodium's call does.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 12)]
public class GroupBenchmarks
{
    private FieldElement _fa, _fb;
    private byte[] _pointBytes = null!, _scalarBytes = null!, _out = new byte[32];
    private Scalar _s, _t;
    private RistrettoPoint _p;
    private FieldElement2625x4 _f4a, _f4b, _f4r;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        var buf = new byte[64];
        rng.NextBytes(buf);
        _p = RistrettoPoint.FromUniformBytes(buf);
        _pointBytes = _p.ToBytes();
        rng.NextBytes(buf);
        _s = Scalar.FromBytesWide(buf);
        _scalarBytes = _s.ToBytes();
        rng.NextBytes(buf);
        _t = Scalar.FromBytesWide(buf);
        _fa = FieldElement.FromBytes(_pointBytes);
        _fb = FieldElement.FromBytes(_scalarBytes);
        _f4a = FieldElement2625x4.FromFieldElements(_fa, _fb, _fa + _fb, _fa - _fb);
        _f4b = FieldElement2625x4.FromFieldElements(_fb, _fa, _fa * _fb, _fa);
        LibSodium.EnsureInitialised();
    }

    [Benchmark(Description = "field mul")]
    public FieldElement FieldMul() => FieldElement.Mul(_fa, _fb);

    [Benchmark(Description = "field square")]
    public FieldElement FieldSquare() => FieldElement.Square(_fa);

    /// <summary>Four products at once (AVX2, radix 2^25.5); compare with four times "field mul".</summary>
    [Benchmark(Description = "field mul 4-way (4 products)")]
    public void FieldMul4() => FieldElement2625x4.Mul(_f4a, _f4b, out _f4r);

    [Benchmark(Description = "field square 4-way (4 squares)")]
    public void FieldSquare4() => FieldElement2625x4.Square(_f4a, out _f4r);

    [Benchmark(Description = "field invert")]
    public FieldElement FieldInvert() => FieldElement.Invert(_fa);

    [Benchmark(Description = "scalar mul (mod l)")]
    public Scalar ScalarMul() => _s * _t;

    [Benchmark(Description = "ours: decode + CT [s]P + encode")]
    public void OursScalarMult()
    {
        var p = RistrettoPoint.Decode(_pointBytes);
        (_s * p).WriteTo(_out);
    }

    [Benchmark(Baseline = true, Description = "libsodium crypto_scalarmult_ristretto255")]
    public unsafe int LibSodiumScalarMult()
    {
        fixed (byte* q = _out, n = _scalarBytes, p = _pointBytes)
            return LibSodium.crypto_scalarmult_ristretto255(q, n, p);
    }

    /// <summary>The serial fallback used where AVX2 is missing, for comparison with the row above.</summary>
    [Benchmark(Description = "ours: decode + CT [s]P serial fallback + encode")]
    public void OursScalarMultSerial()
    {
        var p = RistrettoPoint.Decode(_pointBytes);
        new RistrettoPoint(DVV.ZkRisk.Crypto.Ristretto.ScalarMul.ConstantTimeSerial(p.Inner, _s)).WriteTo(_out);
    }

    [Benchmark(Description = "ours: CT [s]B (table) + encode")]
    public void OursScalarMultBase() => RistrettoPoint.MulBase(_s).WriteTo(_out);

    [Benchmark(Description = "libsodium crypto_scalarmult_ristretto255_base")]
    public unsafe int LibSodiumScalarMultBase()
    {
        fixed (byte* q = _out, n = _scalarBytes)
            return LibSodium.crypto_scalarmult_ristretto255_base(q, n);
    }

    [Benchmark(Description = "ours: CT [s]P, no encode")]
    public RistrettoPoint OursScalarMultRaw() => _s * _p;

    [Benchmark(Description = "ours: vartime [a]P + [b]B")]
    public RistrettoPoint DoubleBase() => RistrettoPoint.VartimeDoubleScalarMulBase(_s, _p, _t);

    [Benchmark(Description = "ours: decode")]
    public RistrettoPoint Decode() => RistrettoPoint.Decode(_pointBytes);

    [Benchmark(Description = "ours: encode")]
    public void Encode() => _p.WriteTo(_out);
}
