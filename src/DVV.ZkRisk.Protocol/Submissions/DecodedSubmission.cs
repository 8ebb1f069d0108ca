using DVV.ZkRisk.Crypto;
using Scalar = DVV.ZkRisk.Crypto.Scalar;

namespace DVV.ZkRisk.Protocol.Submissions;

/// <summary>
/// A checked submission's group elements and its opening's blindings, decoded once where the bytes arrive (the
/// gateway): the sealer takes them from here instead of decoding the wire again. Commitments C_b (short, long) and
/// indicators Z_b per band; blindings r_b and t_b in the same order.
/// </summary>
internal sealed record DecodedSubmission(
    RistrettoPoint[] Short, RistrettoPoint[] Long, RistrettoPoint[] ShortZ, RistrettoPoint[] LongZ,
    Scalar[] ShortBlindings, Scalar[] LongBlindings, Scalar[] ShortIndicatorBlindings, Scalar[] LongIndicatorBlindings);
