namespace DVV.ZkRisk.Crypto;

/// <summary>Base type for every rejected encoding: callers map it to one clear error (gRPC INVALID_ARGUMENT, CLI exit 1).</summary>
public class CryptoFormatException : FormatException
{
    public CryptoFormatException(string message) : base(message) { }
}

/// <summary>A value was encoded with a representative other than its canonical one (scalar >= l, field element >= p).</summary>
public sealed class NonCanonicalEncodingException : CryptoFormatException
{
    public NonCanonicalEncodingException(string message) : base(message) { }
}

/// <summary>Bytes that do not encode a group element at all (RFC 9496 section 4.3.1 decoding failure, wrong length).</summary>
public sealed class InvalidEncodingException : CryptoFormatException
{
    public InvalidEncodingException(string message) : base(message) { }
}
