namespace DVV.ZkRisk.Crypto;

/// <summary>The domain separators dalek bulletproofs 4.0 writes into the Merlin transcript.</summary>
internal static class TranscriptProtocol
{
    public static void RangeProofDomainSep(this Transcript t, ulong n, ulong m)
    {
        t.AppendMessage("dom-sep"u8, "rangeproof v1"u8);
        t.AppendU64("n"u8, n);
        t.AppendU64("m"u8, m);
    }

    public static void InnerProductDomainSep(this Transcript t, ulong n)
    {
        t.AppendMessage("dom-sep"u8, "ipp v1"u8);
        t.AppendU64("n"u8, n);
    }
}
