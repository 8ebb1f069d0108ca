using System.Security.Cryptography;

namespace DVV.ZkRisk.Crypto;

/// <summary>
/// dalek's GeneratorsChain: SHAKE256("GeneratorsChain" || label) read 64 bytes at a time, each chunk
/// mapped with ristretto255 element derivation. Nobody knows discrete logs between the outputs.
/// </summary>
public static class GeneratorsChain
{
    public static RistrettoPoint[] Take(ReadOnlySpan<byte> label, int count)
    {
        if (!Shake256.IsSupported) throw new PlatformNotSupportedException("SHAKE256 is not available from the platform crypto library");
        byte[] input = [.. "GeneratorsChain"u8, .. label];
        byte[] stream = Shake256.HashData(input, 64 * count);
        var points = new RistrettoPoint[count];
        for (int i = 0; i < count; i++) points[i] = RistrettoPoint.FromUniformBytes(stream.AsSpan(64 * i, 64));
        return points;
    }
}
