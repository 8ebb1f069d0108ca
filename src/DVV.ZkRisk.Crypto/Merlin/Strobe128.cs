using System.Runtime.InteropServices;

namespace DVV.ZkRisk.Crypto.Merlin;

/// <summary>
/// The subset of STROBE v1.0.2 (Hamburg) that Merlin uses, at the 128-bit security level over
/// Keccak-f[1600]: rate R = 200 - 128/4 - 2 = 166 bytes. Operations: meta-AD, AD, PRF, KEY.
/// </summary>
internal sealed class Strobe128
{
    private const int Rate = 166;
    private const byte FlagI = 1, FlagA = 1 << 1, FlagC = 1 << 2, FlagT = 1 << 3, FlagM = 1 << 4, FlagK = 1 << 5;

    // The sponge state as Keccak lanes; STROBE addresses it bytewise through a little-endian view of the same memory
    // (x64 and arm64 are little-endian; the static check below refuses anything else rather than compute garbage).
    private readonly ulong[] _lanes = new ulong[25];
    private Span<byte> State => MemoryMarshal.AsBytes(_lanes.AsSpan());
    private int _pos, _posBegin;
    private byte _curFlags;

    public Strobe128(ReadOnlySpan<byte> protocolLabel)
    {
        // STROBE initial state: [1, R+2, 1, 0, 1, 96] || "STROBEv1.0.2", then permute.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("STROBE state view assumes a little-endian machine");
        ReadOnlySpan<byte> init = [1, Rate + 2, 1, 0, 1, 96, .."STROBEv1.0.2"u8];
        init.CopyTo(State);
        KeccakF1600.Permute(_lanes);
        MetaAd(protocolLabel, false);
    }

    private Strobe128(Strobe128 other)
    {
        other._lanes.CopyTo(_lanes, 0);
        _pos = other._pos; _posBegin = other._posBegin; _curFlags = other._curFlags;
    }

    public Strobe128 Clone() => new(this);

    public void MetaAd(ReadOnlySpan<byte> data, bool more) { BeginOp((byte)(FlagM | FlagA), more); Absorb(data); }
    public void Ad(ReadOnlySpan<byte> data, bool more) { BeginOp(FlagA, more); Absorb(data); }
    public void Prf(Span<byte> dst, bool more) { BeginOp((byte)(FlagI | FlagA | FlagC), more); Squeeze(dst); }
    public void Key(ReadOnlySpan<byte> data, bool more) { BeginOp((byte)(FlagA | FlagC), more); Overwrite(data); }

    private void RunF()
    {
        var state = State;
        state[_pos] ^= (byte)_posBegin;
        state[_pos + 1] ^= 0x04;
        state[Rate + 1] ^= 0x80;
        KeccakF1600.Permute(_lanes);
        _pos = 0;
        _posBegin = 0;
    }

    // The three byte operations below work run by run up to the end of the rate (the STROBE spec states them
    // byte by byte; running F whenever the position reaches R is the same thing).

    private void Absorb(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int run = Math.Min(Rate - _pos, data.Length);
            var dst = State.Slice(_pos, run);
            XorInto(dst, data[..run]);
            data = data[run..];
            _pos += run;
            if (_pos == Rate) RunF();
        }
    }

    private void Overwrite(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int run = Math.Min(Rate - _pos, data.Length);
            data[..run].CopyTo(State.Slice(_pos, run));
            data = data[run..];
            _pos += run;
            if (_pos == Rate) RunF();
        }
    }

    private void Squeeze(Span<byte> dst)
    {
        while (!dst.IsEmpty)
        {
            int run = Math.Min(Rate - _pos, dst.Length);
            var src = State.Slice(_pos, run);
            src.CopyTo(dst);
            src.Clear();
            dst = dst[run..];
            _pos += run;
            if (_pos == Rate) RunF();
        }
    }

    private static void XorInto(Span<byte> dst, ReadOnlySpan<byte> src)
    {
        int i = 0;
        for (; i + 8 <= src.Length; i += 8)
        {
            ref byte d = ref dst[i];
            System.Runtime.CompilerServices.Unsafe.WriteUnaligned(ref d,
                System.Runtime.CompilerServices.Unsafe.ReadUnaligned<ulong>(ref d) ^ System.Runtime.CompilerServices.Unsafe.ReadUnaligned<ulong>(in src[i]));
        }
        for (; i < src.Length; i++) dst[i] ^= src[i];
    }

    private void BeginOp(byte flags, bool more)
    {
        if (more)
        {
            if (flags != _curFlags) throw new InvalidOperationException("STROBE: continued operation with different flags");
            return;
        }
        if ((flags & FlagT) != 0) throw new InvalidOperationException("STROBE: transport operations are not used by Merlin");
        int oldBegin = _posBegin;
        _posBegin = _pos + 1;
        _curFlags = flags;
        Absorb([(byte)oldBegin, flags]);
        // Cipher and key operations start on a fresh block.
        if ((flags & (FlagC | FlagK)) != 0 && _pos != 0) RunF();
    }
}
