using System.Buffers.Binary;
using System.Numerics;

namespace DVV.ZkRisk.Crypto.Merlin;

/// <summary>
/// The Keccak-f[1600] permutation (FIPS 202 section 3.3), 24 rounds over 25 64-bit lanes (lane (x, y) at index
/// x + 5y, little-endian in the byte view). The rounds are unrolled over locals so the state lives in registers;
/// a loop over a span with index arithmetic was several times slower, and transcripts run thousands of these per
/// epoch verification.
/// </summary>
internal static class KeccakF1600
{
    private static ReadOnlySpan<ulong> RoundConstants =>
    [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
        0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
        0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
        0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
        0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
        0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ];

    /// <summary>Permutes a 200-byte state (lanes little-endian).</summary>
    public static void Permute(Span<byte> state)
    {
        Span<ulong> a = stackalloc ulong[25];
        for (int i = 0; i < 25; i++) a[i] = BinaryPrimitives.ReadUInt64LittleEndian(state[(8 * i)..]);
        Permute(a);
        for (int i = 0; i < 25; i++) BinaryPrimitives.WriteUInt64LittleEndian(state[(8 * i)..], a[i]);
    }

    public static void Permute(Span<ulong> a)
    {
        if (a.Length < 25) throw new ArgumentException("Keccak-f[1600] state is 25 lanes", nameof(a));
        ulong a00 = a[0];
        ulong a01 = a[1];
        ulong a02 = a[2];
        ulong a03 = a[3];
        ulong a04 = a[4];
        ulong a05 = a[5];
        ulong a06 = a[6];
        ulong a07 = a[7];
        ulong a08 = a[8];
        ulong a09 = a[9];
        ulong a10 = a[10];
        ulong a11 = a[11];
        ulong a12 = a[12];
        ulong a13 = a[13];
        ulong a14 = a[14];
        ulong a15 = a[15];
        ulong a16 = a[16];
        ulong a17 = a[17];
        ulong a18 = a[18];
        ulong a19 = a[19];
        ulong a20 = a[20];
        ulong a21 = a[21];
        ulong a22 = a[22];
        ulong a23 = a[23];
        ulong a24 = a[24];
        for (int round = 0; round < 24; round++)
        {
            // theta (FIPS 202 3.2.1)
            ulong c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20;
            ulong c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21;
            ulong c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22;
            ulong c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23;
            ulong c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24;
            ulong d0 = c4 ^ BitOperations.RotateLeft(c1, 1);
            ulong d1 = c0 ^ BitOperations.RotateLeft(c2, 1);
            ulong d2 = c1 ^ BitOperations.RotateLeft(c3, 1);
            ulong d3 = c2 ^ BitOperations.RotateLeft(c4, 1);
            ulong d4 = c3 ^ BitOperations.RotateLeft(c0, 1);
            // rho and pi (3.2.2, 3.2.3): b[y, 2x + 3y] = rot(a[x, y], r[x, y])
            ulong b00 = (a00 ^ d0);
            ulong b16 = BitOperations.RotateLeft((a05 ^ d0), 36);
            ulong b07 = BitOperations.RotateLeft((a10 ^ d0), 3);
            ulong b23 = BitOperations.RotateLeft((a15 ^ d0), 41);
            ulong b14 = BitOperations.RotateLeft((a20 ^ d0), 18);
            ulong b10 = BitOperations.RotateLeft((a01 ^ d1), 1);
            ulong b01 = BitOperations.RotateLeft((a06 ^ d1), 44);
            ulong b17 = BitOperations.RotateLeft((a11 ^ d1), 10);
            ulong b08 = BitOperations.RotateLeft((a16 ^ d1), 45);
            ulong b24 = BitOperations.RotateLeft((a21 ^ d1), 2);
            ulong b20 = BitOperations.RotateLeft((a02 ^ d2), 62);
            ulong b11 = BitOperations.RotateLeft((a07 ^ d2), 6);
            ulong b02 = BitOperations.RotateLeft((a12 ^ d2), 43);
            ulong b18 = BitOperations.RotateLeft((a17 ^ d2), 15);
            ulong b09 = BitOperations.RotateLeft((a22 ^ d2), 61);
            ulong b05 = BitOperations.RotateLeft((a03 ^ d3), 28);
            ulong b21 = BitOperations.RotateLeft((a08 ^ d3), 55);
            ulong b12 = BitOperations.RotateLeft((a13 ^ d3), 25);
            ulong b03 = BitOperations.RotateLeft((a18 ^ d3), 21);
            ulong b19 = BitOperations.RotateLeft((a23 ^ d3), 56);
            ulong b15 = BitOperations.RotateLeft((a04 ^ d4), 27);
            ulong b06 = BitOperations.RotateLeft((a09 ^ d4), 20);
            ulong b22 = BitOperations.RotateLeft((a14 ^ d4), 39);
            ulong b13 = BitOperations.RotateLeft((a19 ^ d4), 8);
            ulong b04 = BitOperations.RotateLeft((a24 ^ d4), 14);
            // chi (3.2.4) and iota (3.2.5)
            a00 = b00 ^ (~b01 & b02);
            a01 = b01 ^ (~b02 & b03);
            a02 = b02 ^ (~b03 & b04);
            a03 = b03 ^ (~b04 & b00);
            a04 = b04 ^ (~b00 & b01);
            a05 = b05 ^ (~b06 & b07);
            a06 = b06 ^ (~b07 & b08);
            a07 = b07 ^ (~b08 & b09);
            a08 = b08 ^ (~b09 & b05);
            a09 = b09 ^ (~b05 & b06);
            a10 = b10 ^ (~b11 & b12);
            a11 = b11 ^ (~b12 & b13);
            a12 = b12 ^ (~b13 & b14);
            a13 = b13 ^ (~b14 & b10);
            a14 = b14 ^ (~b10 & b11);
            a15 = b15 ^ (~b16 & b17);
            a16 = b16 ^ (~b17 & b18);
            a17 = b17 ^ (~b18 & b19);
            a18 = b18 ^ (~b19 & b15);
            a19 = b19 ^ (~b15 & b16);
            a20 = b20 ^ (~b21 & b22);
            a21 = b21 ^ (~b22 & b23);
            a22 = b22 ^ (~b23 & b24);
            a23 = b23 ^ (~b24 & b20);
            a24 = b24 ^ (~b20 & b21);
            a00 ^= RoundConstants[round];
        }
        a[0] = a00;
        a[1] = a01;
        a[2] = a02;
        a[3] = a03;
        a[4] = a04;
        a[5] = a05;
        a[6] = a06;
        a[7] = a07;
        a[8] = a08;
        a[9] = a09;
        a[10] = a10;
        a[11] = a11;
        a[12] = a12;
        a[13] = a13;
        a[14] = a14;
        a[15] = a15;
        a[16] = a16;
        a[17] = a17;
        a[18] = a18;
        a[19] = a19;
        a[20] = a20;
        a[21] = a21;
        a[22] = a22;
        a[23] = a23;
        a[24] = a24;
    }
}
