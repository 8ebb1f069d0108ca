using System.Runtime.InteropServices;

namespace DVV.ZkRisk.Oracles;

/// <summary>
/// libsodium 1.0.18 (Debian libsodium23) called directly: an independent ristretto255 implementation
/// used as the oracle for our group and scalar arithmetic, and as the peer in benchmarks.
/// </summary>
public static unsafe class LibSodium
{
    private const string Lib = "libsodium.so.23";

    [DllImport(Lib)] private static extern int sodium_init();
    [DllImport(Lib)] public static extern int crypto_core_ristretto255_is_valid_point(byte* p);
    [DllImport(Lib)] public static extern int crypto_core_ristretto255_add(byte* r, byte* p, byte* q);
    [DllImport(Lib)] public static extern int crypto_core_ristretto255_sub(byte* r, byte* p, byte* q);
    [DllImport(Lib)] public static extern int crypto_core_ristretto255_from_hash(byte* p, byte* r);
    [DllImport(Lib)] public static extern int crypto_scalarmult_ristretto255(byte* q, byte* n, byte* p);
    [DllImport(Lib)] public static extern int crypto_scalarmult_ristretto255_base(byte* q, byte* n);
    [DllImport(Lib)] public static extern void crypto_core_ristretto255_scalar_reduce(byte* r, byte* s);
    [DllImport(Lib)] public static extern void crypto_core_ristretto255_scalar_add(byte* z, byte* x, byte* y);
    [DllImport(Lib)] public static extern void crypto_core_ristretto255_scalar_sub(byte* z, byte* x, byte* y);
    [DllImport(Lib)] public static extern void crypto_core_ristretto255_scalar_mul(byte* z, byte* x, byte* y);
    [DllImport(Lib)] public static extern int crypto_core_ristretto255_scalar_invert(byte* recip, byte* s);
    [DllImport(Lib)] public static extern void crypto_core_ristretto255_scalar_negate(byte* neg, byte* s);

    private static readonly int InitResult = sodium_init();

    public static void EnsureInitialised()
    {
        if (InitResult < 0) throw new InvalidOperationException("sodium_init failed");
    }

    public static bool IsValidPoint(ReadOnlySpan<byte> p)
    {
        EnsureInitialised();
        fixed (byte* pp = p) return crypto_core_ristretto255_is_valid_point(pp) == 1;
    }

    public static byte[] Add(ReadOnlySpan<byte> p, ReadOnlySpan<byte> q)
    {
        var r = new byte[32];
        fixed (byte* rp = r, pp = p, qp = q)
            if (crypto_core_ristretto255_add(rp, pp, qp) != 0) throw new ArgumentException("libsodium rejected an input point");
        return r;
    }

    public static byte[] Sub(ReadOnlySpan<byte> p, ReadOnlySpan<byte> q)
    {
        var r = new byte[32];
        fixed (byte* rp = r, pp = p, qp = q)
            if (crypto_core_ristretto255_sub(rp, pp, qp) != 0) throw new ArgumentException("libsodium rejected an input point");
        return r;
    }

    public static byte[] FromHash(ReadOnlySpan<byte> h64)
    {
        var r = new byte[32];
        fixed (byte* rp = r, hp = h64) crypto_core_ristretto255_from_hash(rp, hp);
        return r;
    }

    /// <summary>[n]P; null when libsodium reports the identity (it returns -1 then) or rejects P.</summary>
    public static byte[]? ScalarMult(ReadOnlySpan<byte> n, ReadOnlySpan<byte> p)
    {
        var r = new byte[32];
        fixed (byte* rp = r, np = n, pp = p)
            return crypto_scalarmult_ristretto255(rp, np, pp) == 0 ? r : null;
    }

    public static byte[]? ScalarMultBase(ReadOnlySpan<byte> n)
    {
        var r = new byte[32];
        fixed (byte* rp = r, np = n)
            return crypto_scalarmult_ristretto255_base(rp, np) == 0 ? r : null;
    }

    public static byte[] ScalarReduce(ReadOnlySpan<byte> s64)
    {
        var r = new byte[32];
        fixed (byte* rp = r, sp = s64) crypto_core_ristretto255_scalar_reduce(rp, sp);
        return r;
    }

    public static byte[] ScalarAdd(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y) { var z = new byte[32]; fixed (byte* zp = z, xp = x, yp = y) crypto_core_ristretto255_scalar_add(zp, xp, yp); return z; }
    public static byte[] ScalarSub(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y) { var z = new byte[32]; fixed (byte* zp = z, xp = x, yp = y) crypto_core_ristretto255_scalar_sub(zp, xp, yp); return z; }
    public static byte[] ScalarMul(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y) { var z = new byte[32]; fixed (byte* zp = z, xp = x, yp = y) crypto_core_ristretto255_scalar_mul(zp, xp, yp); return z; }
    public static byte[] ScalarNegate(ReadOnlySpan<byte> x) { var z = new byte[32]; fixed (byte* zp = z, xp = x) crypto_core_ristretto255_scalar_negate(zp, xp); return z; }
    public static byte[] ScalarInvert(ReadOnlySpan<byte> x) { var z = new byte[32]; fixed (byte* zp = z, xp = x) crypto_core_ristretto255_scalar_invert(zp, xp); return z; }
}
