using DVV.ZkRisk.Protocol.Records;

namespace DVV.ZkRisk.Protocol.Submissions;

/// <summary>
/// Size classes of a sealed opening (issue 17 item 9): the opening's encoding is padded with zeros to a power of two of at
/// least <see cref="MinBytes"/>, so the HPKE box length tells an observer of the traffic only the book's size class, not
/// its size. The gateway refuses a box of any other length.
/// </summary>
internal static class OpeningPadding
{
    public const int MinBytes = 8 << 10;

    /// <summary>The size class of an encoding of <paramref name="n"/> bytes.</summary>
    public static int ClassOf(int n)
    {
        int c = MinBytes;
        while (c < n) c <<= 1;
        return c;
    }

    public static bool IsClass(int n) => n >= MinBytes && (n & (n - 1)) == 0;

    /// <summary><paramref name="o"/> with its padding field set so that the encoding is exactly a size class.</summary>
    public static Opening Pad(Opening o)
    {
        var p = o with { PaddingLength = 0 };
        int bare = Codec.WireCodec.Size(p);
        for (int target = ClassOf(bare + 2); ; target <<= 1)
            for (int v = 1; v <= 5; v++)
            {
                int len = target - bare - 1 - v;   // tag (1 byte) + length (v bytes) + len zeros
                if (len >= 0 && Codec.WireWriter.VarintSize((ulong)len) == v)
                {
                    p = p with { PaddingLength = len };
                    if (Codec.WireCodec.Size(p) == target) return p;
                }
            }
    }
}
