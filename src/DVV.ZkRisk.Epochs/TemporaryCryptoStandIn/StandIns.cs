// TEMPORARY STAND-IN (see README.txt in this folder): delete when the real DVV.ZkRisk.Crypto.Sigma/Merkle/Statements land.
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using DVV.ZkRisk.Crypto;

namespace DVV.ZkRisk.Crypto.Sigma
{
    public sealed record StatementBinding(ulong Epoch, byte[] ParameterHash, byte[] StatementHash);

    public static class StandInTranscripts
    {
        public static Transcript Start(string label, StatementBinding b)
        {
            var t = new Transcript(label);
            t.AppendU64("epoch", b.Epoch);
            t.AppendMessage("parameter_hash", b.ParameterHash);
            t.AppendMessage("statement_hash", b.StatementHash);
            return t;
        }

        public static Scalar FromU128(UInt128 v)
        {
            var bytes = new byte[32];
            BinaryPrimitives.WriteUInt128LittleEndian(bytes, v);
            return Scalar.FromBytesModOrder(bytes);
        }
    }

    public sealed class SumProof
    {
        private readonly RistrettoPoint _r;
        private readonly Scalar _z;
        private SumProof(RistrettoPoint r, Scalar z) { _r = r; _z = z; }

        public static SumProof Prove(StatementBinding binding, string cellLabel, RistrettoPoint commitmentSum, UInt128 aggregate, Scalar blindingSum)
        {
            var pc = PedersenGens.Default;
            var p = commitmentSum - StandInTranscripts.FromU128(aggregate) * pc.B;
            var k = Scalar.Random();
            var r = k * pc.BBlinding;
            var c = Challenge(binding, cellLabel, p, r);
            return new SumProof(r, k + c * blindingSum);
        }

        private static Scalar Challenge(StatementBinding binding, string cell, RistrettoPoint p, RistrettoPoint r)
        {
            var t = StandInTranscripts.Start("dvv.zkrisk.v1/sum", binding);
            t.AppendMessage("cell", Encoding.UTF8.GetBytes(cell));
            t.AppendPoint("P", p);
            t.AppendPoint("R", r);
            return t.ChallengeScalar("c");
        }

        public bool Verify(StatementBinding binding, string cellLabel, RistrettoPoint commitmentSum, UInt128 aggregate)
        {
            var pc = PedersenGens.Default;
            var p = commitmentSum - StandInTranscripts.FromU128(aggregate) * pc.B;
            var c = Challenge(binding, cellLabel, p, _r);
            return _z * pc.BBlinding == _r + c * p;
        }

        public byte[] ToBytes() => [.. _r.ToBytes(), .. _z.ToBytes()];

        public static SumProof FromBytes(ReadOnlySpan<byte> b)
        {
            if (b.Length != 64) throw new InvalidEncodingException($"sum proof must be 64 bytes, got {b.Length}");
            var r = RistrettoPoint.Decode(b[..32]);
            if (!Scalar.TryFromCanonical(b[32..], out var z)) throw new NonCanonicalEncodingException("sum proof response >= l");
            return new SumProof(r, z);
        }
    }

    public sealed class SelectionProof
    {
        private readonly RistrettoPoint _r0, _r1;
        private readonly Scalar _c0, _z0, _z1;
        private SelectionProof(RistrettoPoint r0, RistrettoPoint r1, Scalar c0, Scalar z0, Scalar z1) { _r0 = r0; _r1 = r1; _c0 = c0; _z0 = z0; _z1 = z1; }

        private static Transcript Start(StatementBinding binding, ReadOnlySpan<byte> trader, int shock, ReadOnlySpan<RistrettoPoint> c, ReadOnlySpan<RistrettoPoint> d)
        {
            var t = StandInTranscripts.Start("dvv.zkrisk.v1/selection", binding);
            t.AppendMessage("trader", trader);
            t.AppendU64("shock", (ulong)shock);
            t.AppendU64("bands", (ulong)c.Length);
            for (int b = 0; b < c.Length; b++) { t.AppendPoint("C", c[b]); t.AppendPoint("D", d[b]); }
            return t;
        }

        private static Scalar[] Weights(Transcript t, int n)
        {
            var w = new Scalar[n];
            for (int b = 0; b < n; b++) w[b] = t.ChallengeScalar("w");
            return w;
        }

        public static SelectionProof Prove(StatementBinding binding, ReadOnlySpan<byte> traderId, int shockIndex, ReadOnlySpan<RistrettoPoint> bandCommitments,
            bool lambda, ReadOnlySpan<Scalar> rho, out RistrettoPoint[] selected)
        {
            var pc = PedersenGens.Default;
            int n = bandCommitments.Length;
            selected = new RistrettoPoint[n];
            for (int b = 0; b < n; b++) selected[b] = (lambda ? bandCommitments[b] : RistrettoPoint.Identity) + rho[b] * pc.BBlinding;
            var t = Start(binding, traderId, shockIndex, bandCommitments, selected);
            var w = Weights(t, n);
            // C and D are public and so are the weights: variable-time MSMs; only rs is secret
            var cs = MultiscalarMul.Vartime(w, bandCommitments);
            var ds = MultiscalarMul.Vartime(w, selected);
            Scalar rs = Scalar.Zero;
            for (int b = 0; b < n; b++) rs += w[b] * rho[b];
            // branch 0: ds = rs*H ; branch 1: ds - cs = rs*H
            var y0 = ds; var y1 = ds - cs;
            var k = Scalar.Random();
            var cFake = Scalar.Random(); var zFake = Scalar.Random();
            RistrettoPoint r0, r1;
            if (lambda) { r0 = zFake * pc.BBlinding - cFake * y0; r1 = k * pc.BBlinding; }
            else { r1 = zFake * pc.BBlinding - cFake * y1; r0 = k * pc.BBlinding; }
            t.AppendPoint("R0", r0); t.AppendPoint("R1", r1);
            var c = t.ChallengeScalar("c");
            Scalar c0, z0, z1;
            if (lambda) { c0 = cFake; z0 = zFake; var c1 = c - c0; z1 = k + c1 * rs; }
            else { var c1 = cFake; z1 = zFake; c0 = c - c1; z0 = k + c0 * rs; }
            return new SelectionProof(r0, r1, c0, z0, z1);
        }

        public bool Verify(StatementBinding binding, ReadOnlySpan<byte> traderId, int shockIndex, ReadOnlySpan<RistrettoPoint> bandCommitments, ReadOnlySpan<RistrettoPoint> selected)
        {
            if (bandCommitments.Length != selected.Length || bandCommitments.Length == 0) return false;
            var pc = PedersenGens.Default;
            int n = bandCommitments.Length;
            var t = Start(binding, traderId, shockIndex, bandCommitments, selected);
            var w = Weights(t, n);
            var cs = MultiscalarMul.Vartime(w, bandCommitments);
            var ds = MultiscalarMul.Vartime(w, selected);
            t.AppendPoint("R0", _r0); t.AppendPoint("R1", _r1);
            var c = t.ChallengeScalar("c");
            var c1 = c - _c0;
            return _z0 * pc.BBlinding == _r0 + _c0 * ds && _z1 * pc.BBlinding == _r1 + c1 * (ds - cs);
        }

        public byte[] ToBytes() => [.. _r0.ToBytes(), .. _r1.ToBytes(), .. _c0.ToBytes(), .. _z0.ToBytes(), .. _z1.ToBytes()];

        public static SelectionProof FromBytes(ReadOnlySpan<byte> b)
        {
            if (b.Length != 160) throw new InvalidEncodingException($"selection proof must be 160 bytes, got {b.Length}");
            var r0 = RistrettoPoint.Decode(b[..32]);
            var r1 = RistrettoPoint.Decode(b[32..64]);
            var s = new Scalar[3];
            for (int i = 0; i < 3; i++)
                if (!Scalar.TryFromCanonical(b.Slice(64 + 32 * i, 32), out s[i])) throw new NonCanonicalEncodingException("selection proof scalar >= l");
            return new SelectionProof(r0, r1, s[0], s[1], s[2]);
        }
    }

    public sealed record SelectionStatement(StatementBinding Binding, byte[] TraderId, int ShockIndex, RistrettoPoint[] BandCommitments, RistrettoPoint[] Selected, SelectionProof Proof);

    public static class SelectionProofBatch
    {
        public static bool Verify(IReadOnlyList<SelectionStatement> statements, out int[] badIndices)
        {
            var bad = new System.Collections.Concurrent.ConcurrentBag<int>();
            Parallel.For(0, statements.Count, i =>
            {
                var s = statements[i];
                if (!s.Proof.Verify(s.Binding, s.TraderId, s.ShockIndex, s.BandCommitments, s.Selected)) bad.Add(i);
            });
            badIndices = bad.OrderBy(i => i).ToArray();
            return badIndices.Length == 0;
        }
    }
}

namespace DVV.ZkRisk.Crypto.Merkle
{
    public sealed record MerkleInclusionProof(int Index, int LeafCount, byte[][] Siblings)
    {
        public byte[] ToBytes()
        {
            var o = new byte[8 + 32 * Siblings.Length];
            BinaryPrimitives.WriteInt32LittleEndian(o, Index);
            BinaryPrimitives.WriteInt32LittleEndian(o.AsSpan(4), LeafCount);
            for (int i = 0; i < Siblings.Length; i++) Siblings[i].CopyTo(o, 8 + 32 * i);
            return o;
        }

        public static MerkleInclusionProof FromBytes(ReadOnlySpan<byte> b)
        {
            if (b.Length < 8 || (b.Length - 8) % 32 != 0) throw new InvalidEncodingException("bad inclusion proof length");
            int idx = BinaryPrimitives.ReadInt32LittleEndian(b), n = BinaryPrimitives.ReadInt32LittleEndian(b[4..]);
            var s = new byte[(b.Length - 8) / 32][];
            for (int i = 0; i < s.Length; i++) s[i] = b.Slice(8 + 32 * i, 32).ToArray();
            return new MerkleInclusionProof(idx, n, s);
        }
    }

    public sealed class MerkleTree
    {
        private readonly byte[][] _leaves;
        public byte[] Root { get; }

        public MerkleTree(IReadOnlyList<byte[]> leafData)
        {
            _leaves = leafData.Select(LeafHash).ToArray();
            Root = _leaves.Length == 0 ? SHA256.HashData(Array.Empty<byte>()) : Node(0, _leaves.Length);
        }

        internal static byte[] LeafHash(byte[] d) => SHA256.HashData([0x00, .. d]);
        internal static byte[] NodeHash(byte[] l, byte[] r) => SHA256.HashData([0x01, .. l, .. r]);
        private static int Split(int n) { int k = 1; while (k * 2 < n) k *= 2; return k; }

        private byte[] Node(int from, int n) => n == 1 ? _leaves[from] : NodeHash(Node(from, Split(n)), Node(from + Split(n), n - Split(n)));

        public MerkleInclusionProof Prove(int index)
        {
            if ((uint)index >= (uint)_leaves.Length) throw new ArgumentOutOfRangeException(nameof(index));
            var path = new List<byte[]>();
            Path(index, 0, _leaves.Length, path);
            return new MerkleInclusionProof(index, _leaves.Length, path.ToArray());
        }

        // siblings bottom-up
        private void Path(int m, int from, int n, List<byte[]> acc)
        {
            if (n == 1) return;
            int k = Split(n);
            if (m < k) { Path(m, from, k, acc); acc.Add(Node(from + k, n - k)); }
            else { Path(m - k, from + k, n - k, acc); acc.Add(Node(from, k)); }
        }

        public static bool Verify(byte[] root, byte[] leafData, MerkleInclusionProof proof)
        {
            if (proof.LeafCount <= 0 || (uint)proof.Index >= (uint)proof.LeafCount) return false;
            // RFC 9162 2.1.3.2
            long fn = proof.Index, sn = proof.LeafCount - 1;
            var r = LeafHash(leafData);
            foreach (var p in proof.Siblings)
            {
                if (p is null || p.Length != 32 || sn == 0) return false;
                if ((fn & 1) == 1 || fn == sn)
                {
                    r = NodeHash(p, r);
                    if ((fn & 1) == 0) while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
                }
                else r = NodeHash(r, p);
                fn >>= 1; sn >>= 1;
            }
            return sn == 0 && r.AsSpan().SequenceEqual(root);
        }
    }
}

namespace DVV.ZkRisk.Crypto.Statements
{
    public sealed record StatementDefinition(string Name, int Version, byte[] Hash, byte[] CanonicalBytes)
    {
        public static StatementDefinition Load(string path)
        {
            var bytes = File.ReadAllBytes(path);
            using var doc = System.Text.Json.JsonDocument.Parse(bytes);
            var name = doc.RootElement.GetProperty("name").GetString()!;
            var version = doc.RootElement.GetProperty("version").GetInt32();
            return new StatementDefinition(name, version, SHA256.HashData(bytes), bytes);
        }
    }

    public sealed class StatementDefinitions
    {
        public IReadOnlyList<StatementDefinition> All { get; }
        public byte[] CombinedHash { get; }
        public StatementDefinition this[string name] => All.First(d => d.Name == name);

        private StatementDefinitions(List<StatementDefinition> defs)
        {
            All = defs.OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
            CombinedHash = SHA256.HashData(All.SelectMany(d => d.Hash).ToArray());
        }

        public static StatementDefinitions LoadAll(string circuitsDir) =>
            new(Directory.GetFiles(circuitsDir, "*.json").Select(StatementDefinition.Load).ToList());
    }
}
