using DVV.ZkRisk.Crypto.Merkle;

namespace DVV.ZkRisk.Crypto.Tests.Sigma;

/// <summary>RFC 6962 test vectors (the certificate-transparency reference tree) and inclusion proofs.</summary>
public class MerkleTreeTests
{
    private static readonly byte[][] Leaves = new[] { "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f" }
        .Select(Convert.FromHexString).ToArray();

    private static readonly string[] Roots =
    {
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    };

    [Fact]
    public void Roots_MatchRfc6962Vectors()
    {
        for (int n = 0; n <= 8; n++)
            Assert.Equal(Roots[n], Convert.ToHexStringLower(new MerkleTree(Leaves[..n]).Root));
    }

    [Fact]
    public void InclusionPath_MatchesTheReferencePathForLeaf0Of8()
    {
        var proof = new MerkleTree(Leaves).Prove(0);
        Assert.Equal(new[] { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" },
            proof.Siblings.Select(Convert.ToHexStringLower));
    }

    [Fact]
    public void EveryLeafOfEverySize_ProvesAndRoundTrips_AndWrongDataFails()
    {
        var rng = TestRandom.Create(90);
        for (int n = 1; n <= 33; n++)
        {
            var leaves = Enumerable.Range(0, n).Select(i => TestRandom.Bytes(rng, 40)).ToArray();
            var tree = new MerkleTree(leaves);
            for (int i = 0; i < n; i++)
            {
                var proof = MerkleInclusionProof.FromBytes(tree.Prove(i).ToBytes());
                Assert.True(MerkleTree.Verify(tree.Root, leaves[i], proof), $"leaf {i} of {n}");
                Assert.False(MerkleTree.Verify(tree.Root, TestRandom.Bytes(rng, 40), proof));
                if (proof.Siblings.Length > 0)
                {
                    var bad = proof with { Siblings = proof.Siblings.Select((s, k) => k == 0 ? s.Select(x => (byte)(x ^ 1)).ToArray() : s).ToArray() };
                    Assert.False(MerkleTree.Verify(tree.Root, leaves[i], bad));
                }
                Assert.False(MerkleTree.Verify(tree.Root, leaves[i], proof with { Index = n }));
            }
        }
    }

    [Fact]
    public void DroppedLeaf_FailsItsInclusionCheck()
    {
        var full = new MerkleTree(Leaves);
        var proof = full.Prove(5);
        var dropped = new MerkleTree(Leaves.Where((_, i) => i != 5).ToList());
        Assert.False(MerkleTree.Verify(dropped.Root, Leaves[5], proof));
    }

    [Fact]
    public void LeafAndNodeHashesAreDomainSeparated()
    {
        // A two-leaf tree's root is NodeHash(l0, l1); presenting l0||l1 as a single leaf must not reproduce it.
        var two = new MerkleTree(Leaves[1..3]);
        byte[] fake = [.. MerkleTree.LeafHash(Leaves[1]), .. MerkleTree.LeafHash(Leaves[2])];
        Assert.NotEqual(two.Root, new MerkleTree([fake]).Root);
    }
}
