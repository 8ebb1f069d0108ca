using DVV.ZkRisk.Crypto.Ristretto;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// Precomputed odd multiples of a fixed generator for variable-time (public-scalar) multiplication, in affine
/// Niels form so that each use is a mixed addition (7 field multiplications with the extended conversion,
/// against 8 for a projective Niels point) and no per-call table is built.
///
/// With <see cref="Splits"/> = k the 256 bit positions are cut into k spans of 256/k; the table holds the odd
/// multiples (2j+1) 2^(s*span) P for every span s and j &lt; 2^(w-2). A width-w NAF digit d at bit
/// s*span + b is then d 2^b (2^(s*span) P): the digit is read from span s's table and added after b doublings,
/// so a stand-alone multiplication needs only span doublings (Lim-Lee style comb, here with NAF digits).
///
/// Memory: Splits * 2^(w-2) * 96 bytes; the verifier uses (w = 8, k = 1) and the prover's generator folding
/// (w = 5, k = 8: 32 doublings, about 43 mixed additions; measured 22% faster than w = 6, k = 4), 6 KiB per generator each.
///
/// With AVX2 (<see cref="TabledStrausAvx2"/>) the entries are kept instead as packed <see cref="CachedPoint4"/>
/// values (<see cref="PackedCachedPoint4"/>, 160 bytes each): Splits * 2^(w-2) * 160 bytes, 10 KiB per generator
/// for both table shapes above. The affine form is then dropped after construction and rebuilt from the packed
/// one only if a serial path asks for it (tests, benchmarks), so a table holds one form, not both.
/// </summary>
internal sealed class GeneratorTable
{
    public int Width { get; }
    public int Splits { get; }
    public int Span { get; }
    public int EntriesPerSpan { get; }
    private AffineNielsPoint[]? _odd;
    private uint[]? _packed;

    /// <summary>The affine entries for the serial paths (rebuilt from the packed form when it was dropped).</summary>
    private AffineNielsPoint[] Odd => _odd ??= UnpackAffine();

    public GeneratorTable(in EdwardsPoint p, int width, int splits)
    {
        if (width < 2 || width > 8) throw new ArgumentOutOfRangeException(nameof(width));
        if (splits < 1 || 256 % splits != 0) throw new ArgumentOutOfRangeException(nameof(splits));
        Width = width;
        Splits = splits;
        Span = 256 / splits;
        EntriesPerSpan = 1 << (width - 2);
        var ext = new EdwardsPoint[splits * EntriesPerSpan];
        EdwardsPoint basePoint = p;
        for (int s = 0; s < splits; s++)
        {
            if (s > 0) basePoint = basePoint.MulByPow2(Span);
            var twice = basePoint.Double().ToProjectiveNiels();
            EdwardsPoint acc = basePoint;
            ext[s * EntriesPerSpan] = acc;
            for (int j = 1; j < EntriesPerSpan; j++)
            {
                acc = EdwardsPoint.Add(acc, twice);
                ext[s * EntriesPerSpan + j] = acc;
            }
        }
        var odd = new AffineNielsPoint[ext.Length];
        AffineBatch.ToAffineNiels(ext, odd);
        _odd = odd;
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
        {
            _packed = BuildPacked();
            _odd = null;
        }
    }

    /// <summary>|d| P' for an odd NAF digit d of span s (|d| &lt; 2^(w-1)).</summary>
    public ref readonly AffineNielsPoint Entry(int span, int absDigit) => ref Odd[span * EntriesPerSpan + (absDigit >> 1)];

    /// <summary>The entries as packed cached points (entry e at words [40 e, 40 e + 40)); built in the constructor with AVX2.</summary>
    internal uint[] Packed => _packed ??= BuildPacked();

    private uint[] BuildPacked()
    {
        var odd = Odd;
        var words = new uint[odd.Length * PackedCachedPoint4.Words];
        for (int e = 0; e < odd.Length; e++)
            PackedCachedPoint4.Pack(PackedCachedPoint4.FromAffineNiels(odd[e]), words.AsSpan(e * PackedCachedPoint4.Words, PackedCachedPoint4.Words));
        return words;
    }

    /// <summary>
    /// Affine Niels (Y + X, Y - X, 2d X Y) from packed cached (Y - X, Y + X, 2d X Y, 2): lanes 1, 0, 2. Two threads
    /// may both rebuild it; the arrays are equal and either reference is fine.
    /// </summary>
    private AffineNielsPoint[] UnpackAffine()
    {
        var words = _packed!;
        var odd = new AffineNielsPoint[words.Length / PackedCachedPoint4.Words];
        for (int e = 0; e < odd.Length; e++)
        {
            PackedCachedPoint4.Unpack(words, e * PackedCachedPoint4.Words, out CachedPoint4 c);
            odd[e] = new AffineNielsPoint(c.V.Lane(1), c.V.Lane(0), c.V.Lane(2));
        }
        return odd;
    }

    /// <summary>Word offset in <see cref="Packed"/> of |d| P' for an odd digit d of span s.</summary>
    public int PackedOffset(int span, int absDigit) => (span * EntriesPerSpan + (absDigit >> 1)) * PackedCachedPoint4.Words;

    /// <summary>Adds d * entry into t (the digit's sign picks addition or subtraction).</summary>
    public CompletedPoint AddDigit(in CompletedPoint t, int span, int digit)
        => digit > 0 ? CompletedPoint.Add(t.ToExtended(), Entry(span, digit)) : AffineBatch.Sub(t.ToExtended(), Entry(span, -digit));

    /// <summary>[s]P, variable time (s public): Span doublings and about 256/(w+1) additions, on the 4-way backend where available.</summary>
    public EdwardsPoint MulVartime(in Scalar s)
    {
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported) return MulVartimeSerial(s);
        GeneratorTable self = this;
        return TabledStrausAvx2.Part([], [], new ReadOnlySpan<Scalar>(in s), new ReadOnlySpan<GeneratorTable>(in self));
    }

    /// <summary>[s]P with serial mixed additions (the fallback without AVX2).</summary>
    internal EdwardsPoint MulVartimeSerial(in Scalar s)
    {
        Span<sbyte> naf = stackalloc sbyte[256];
        s.ToNaf(naf, Width);
        int top = Span - 1;
        while (top >= 0 && !AnyAt(naf, top)) top--;
        if (top < 0) return EdwardsPoint.Identity;
        ProjectivePoint r = EdwardsPoint.Identity.ToProjective();
        for (int b = top; b >= 0; b--)
        {
            CompletedPoint t = r.Double();
            for (int sp = 0; sp < Splits; sp++)
            {
                int d = naf[sp * Span + b];
                if (d != 0) t = AddDigit(t, sp, d);
            }
            r = t.ToProjective();
        }
        return AffineBatch.ToExtended(r);
    }

    private bool AnyAt(ReadOnlySpan<sbyte> naf, int b)
    {
        for (int sp = 0; sp < Splits; sp++) if (naf[sp * Span + b] != 0) return true;
        return false;
    }
}
