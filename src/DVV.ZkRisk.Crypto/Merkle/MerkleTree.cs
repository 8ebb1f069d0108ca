using System.Security.Cryptography;

namespace DVV.ZkRisk.Crypto.Merkle;

/// <summary>
/// A Merkle tree over an epoch's submissions with the RFC 6962 / RFC 9162 shape and domain separation:
/// leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right), a tree of n leaves splits at the
/// largest power of two below n, and the empty tree hashes to SHA-256(""). Leaf and node hashes can
/// never be confused, so no interior node can be passed off as a submission.
/// </summary>
public sealed class MerkleTree
{
    private readonly byte[][] _leafHashes;
    // Every interior node (start, size) of the RFC 9162 shape, kept from the construction so that an inclusion proof is
    // O(log n) lookups instead of rehashing the sibling subtrees (about 2n hashes per proof otherwise).
    private readonly Dictionary<long, byte[]> _nodes = new();

    public byte[] Root { get; }
    public int LeafCount => _leafHashes.Length;

    public MerkleTree(IReadOnlyList<byte[]> leafData)
    {
        _leafHashes = new byte[leafData.Count][];
        for (int i = 0; i < leafData.Count; i++) _leafHashes[i] = LeafHash(leafData[i]);
        Root = Subtree(0, _leafHashes.Length);
    }

    public static byte[] LeafHash(ReadOnlySpan<byte> data)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData([0x00]);
        h.AppendData(data);
        return h.GetHashAndReset();
    }

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buf = stackalloc byte[65];
        buf[0] = 0x01;
        left.CopyTo(buf[1..]);
        right.CopyTo(buf[33..]);
        return SHA256.HashData(buf);
    }

    private static int SplitPoint(int n)
    {
        int k = 1;
        while (k << 1 < n) k <<= 1;
        return k;
    }

    private byte[] Subtree(int start, int n)
    {
        if (n == 0) return SHA256.HashData(ReadOnlySpan<byte>.Empty);
        if (n == 1) return _leafHashes[start];
        long key = ((long)start << 32) | (uint)n;
        if (_nodes.TryGetValue(key, out var known)) return known;
        int k = SplitPoint(n);
        var h = NodeHash(Subtree(start, k), Subtree(start + k, n - k));
        _nodes[key] = h;
        return h;
    }

    /// <summary>RFC 9162 section 2.1.3.1 inclusion path for leaf <paramref name="index"/>, siblings from the leaf upwards.</summary>
    public MerkleInclusionProof Prove(int index)
    {
        if ((uint)index >= (uint)_leafHashes.Length) throw new ArgumentOutOfRangeException(nameof(index), $"leaf {index} of {_leafHashes.Length}");
        var path = new List<byte[]>();
        Path(index, 0, _leafHashes.Length, path);
        return new MerkleInclusionProof(index, _leafHashes.Length, path.ToArray());
    }

    private void Path(int m, int start, int n, List<byte[]> path)
    {
        if (n <= 1) return;
        int k = SplitPoint(n);
        if (m < k)
        {
            Path(m, start, k, path);
            path.Add(Subtree(start + k, n - k));
        }
        else
        {
            Path(m - k, start + k, n - k, path);
            path.Add(Subtree(start, k));
        }
    }

    /// <summary>RFC 9162 section 2.1.3.2 verification of an inclusion proof against a root.</summary>
    public static bool Verify(byte[] root, ReadOnlySpan<byte> leafData, MerkleInclusionProof proof)
    {
        if (proof.Index < 0 || proof.Index >= proof.LeafCount) return false;
        long fn = proof.Index, sn = proof.LeafCount - 1;
        byte[] r = LeafHash(leafData);
        foreach (var p in proof.Siblings)
        {
            if (p.Length != 32 || sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else
            {
                r = NodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && CryptographicOperations.FixedTimeEquals(r, root);
    }
}

/// <summary>An inclusion proof: the leaf's index, the tree size and the sibling hashes from the leaf up. Layout: u32 index, u32 size, u8 count, 32-byte hashes.</summary>
public sealed record MerkleInclusionProof(int Index, int LeafCount, byte[][] Siblings)
{
    public byte[] ToBytes()
    {
        var b = new byte[9 + 32 * Siblings.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(b, Index);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), LeafCount);
        b[8] = (byte)Siblings.Length;
        for (int i = 0; i < Siblings.Length; i++) Siblings[i].CopyTo(b, 9 + 32 * i);
        return b;
    }

    public static MerkleInclusionProof FromBytes(ReadOnlySpan<byte> b)
    {
        if (b.Length < 9 || b.Length != 9 + 32 * b[8]) throw new InvalidEncodingException("malformed Merkle inclusion proof");
        int index = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(b);
        int size = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(b[4..]);
        if (index < 0 || size <= index) throw new InvalidEncodingException("Merkle inclusion proof index outside the tree");
        var s = new byte[b[8]][];
        for (int i = 0; i < s.Length; i++) s[i] = b.Slice(9 + 32 * i, 32).ToArray();
        return new MerkleInclusionProof(index, size, s);
    }
}
