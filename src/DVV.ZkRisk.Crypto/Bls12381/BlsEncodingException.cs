namespace DVV.ZkRisk.Crypto.Bls12381;

/// <summary>Why a byte string was refused as a BLS12-381 point, scalar, key or signature.</summary>
public enum BlsEncodingError
{
    /// <summary>The input has the wrong number of bytes for this type.</summary>
    WrongLength,
    /// <summary>A compressed encoding without the compression flag (0x80), or an uncompressed one with it.</summary>
    CompressionFlagMismatch,
    /// <summary>The infinity flag (0x40) is set but another flag or coordinate bit is non-zero.</summary>
    InvalidInfinityEncoding,
    /// <summary>The sort flag (0x20) is set on an uncompressed encoding.</summary>
    UnexpectedSortFlag,
    /// <summary>A coordinate is not below the field modulus p.</summary>
    NonCanonicalCoordinate,
    /// <summary>The coordinates do not satisfy the curve equation (no y for the given x).</summary>
    NotOnCurve,
    /// <summary>The point is on the curve but not in the prime-order subgroup.</summary>
    NotInSubgroup,
    /// <summary>The point at infinity where a non-identity point is required (public keys).</summary>
    IdentityNotAllowed,
    /// <summary>A scalar or secret key that is zero or not below the group order r.</summary>
    InvalidScalar,
    /// <summary>Text that is not valid hexadecimal.</summary>
    InvalidHex,
}

/// <summary>Thrown when a BLS12-381 encoding is invalid or non-canonical; <see cref="Error"/> says why.</summary>
public sealed class BlsEncodingException : FormatException
{
    public BlsEncodingError Error { get; }

    public BlsEncodingException(BlsEncodingError error, string message) : base(message) { Error = error; }

    /// <summary>"invalid {what}: {reason}" (FromBytes of points, keys and signatures).</summary>
    internal static BlsEncodingException Invalid(BlsEncodingError e, string what) => new(e, "invalid " + what + ": " + Describe(e));

    internal static string Describe(BlsEncodingError e) => e switch
    {
        BlsEncodingError.WrongLength => "wrong length",
        BlsEncodingError.CompressionFlagMismatch => "compression flag does not match the encoding length",
        BlsEncodingError.InvalidInfinityEncoding => "infinity flag set with non-zero bits",
        BlsEncodingError.UnexpectedSortFlag => "sort flag set on an uncompressed or infinity encoding",
        BlsEncodingError.NonCanonicalCoordinate => "coordinate not below the field modulus p",
        BlsEncodingError.NotOnCurve => "point not on the curve",
        BlsEncodingError.NotInSubgroup => "point not in the prime-order subgroup",
        BlsEncodingError.IdentityNotAllowed => "point at infinity not allowed here",
        BlsEncodingError.InvalidScalar => "scalar is zero or not below the group order r",
        BlsEncodingError.InvalidHex => "not valid hexadecimal",
        _ => e.ToString(),
    };
}
