namespace DVV.ZkRisk.Crypto;

/// <summary>
/// Pedersen commitment bases, byte-compatible with dalek bulletproofs 4.0: B is the ristretto255
/// generator and B_blinding = from_uniform_bytes(SHA3-512(encode(B))), so nobody knows log_B(B_blinding).
/// </summary>
public sealed class PedersenGens
{
    public RistrettoPoint B { get; }
    public RistrettoPoint BBlinding { get; }

    private readonly Ristretto.FixedBaseTable _bTable, _bBlindingTable;

    public PedersenGens(in RistrettoPoint b, in RistrettoPoint bBlinding)
    {
        B = b;
        BBlinding = bBlinding;
        // The usual B is the ristretto255 generator, whose table already exists: share it rather than build it twice.
        _bTable = b == RistrettoPoint.Basepoint ? Ristretto.BasepointTable.Table : new Ristretto.FixedBaseTable(b.Inner);
        _bBlindingTable = new Ristretto.FixedBaseTable(bBlinding.Inner);
    }

    /// <summary>[s]B_blinding in constant time with a precomputed table (blinding terms of commitments and Sigma proofs).</summary>
    public RistrettoPoint MulBlinding(in Scalar s) => new(_bBlindingTable.Mul(s));

    /// <summary>[s]B in constant time with a precomputed table.</summary>
    public RistrettoPoint MulValueBase(in Scalar s) => new(_bTable.Mul(s));

    public static PedersenGens Default { get; } = new(
        RistrettoPoint.Basepoint,
        RistrettoPoint.HashFromBytesSha3_512(RistrettoPoint.Basepoint.ToBytes()));

    /// <summary>C = value*B + blinding*B_blinding, constant time in both secrets.</summary>
    public RistrettoPoint Commit(in Scalar value, in Scalar blinding)
        => MulValueBase(value) + MulBlinding(blinding);

    public RistrettoPoint Commit(ulong value, in Scalar blinding) => Commit(Scalar.FromUInt64(value), blinding);

    /// <summary>Checks an opening (v, r) of C; all inputs may be public at this point (the trader discloses them).</summary>
    public bool VerifyOpening(in RistrettoPoint commitment, in Scalar value, in Scalar blinding)
        => Commit(value, blinding) == commitment;
}
