using System.Security.Cryptography;

namespace DVV.ZkRisk.Crypto.Tests;

/// <summary>Deterministic randomness for property tests, so a failure reproduces from its seed.</summary>
internal static class TestRandom
{
    public static Random Create(int seed) => new(seed);

    public static byte[] Bytes(Random rng, int n) { var b = new byte[n]; rng.NextBytes(b); return b; }

    public static Scalar Scalar(Random rng) => Crypto.Scalar.FromBytesWide(Bytes(rng, 64));

    public static RistrettoPoint Point(Random rng) => RistrettoPoint.FromUniformBytes(Bytes(rng, 64));
}
