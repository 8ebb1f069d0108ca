namespace DVV.ZkRisk.Crypto.Merlin;

/// <summary>
/// The subset of STROBE v1.0.2 (Hamburg) that Merlin uses, at the 128-bit security level over
/// Keccak-f[1600]: rate R = 200 - 128/4 - 2 = 166 bytes. Operations: meta-AD, AD, PRF, KEY.
/// </summary>
internal sealed class Strobe128
{
    private const int Rate = 166;
    private const byte FlagI = 1, FlagA = 1 << 1, FlagC = 1 << 2, FlagT = 1 << 3, FlagM = 1 << 4, FlagK = 1 << 5;

    private readonly byte[] _state = new byte[200];
    private int _pos, _posBegin;
    private byte _curFlags;

    public Strobe128(ReadOnlySpan<byte> protocolLabel)
    {
        // STROBE initial state: [1, R+2, 1, 0, 1, 96] || "STROBEv1.0.2", then permute.
        ReadOnlySpan<byte> init = [1, Rate + 2, 1, 0, 1, 96, .."STROBEv1.0.2"u8];
        init.CopyTo(_state);
        KeccakF1600.Permute(_state);
        MetaAd(protocolLabel, false);
    }

    private Strobe128(Strobe128 other)
    {
        other._state.CopyTo(_state, 0);
        _pos = other._pos; _posBegin = other._posBegin; _curFlags = other._curFlags;
    }

    public Strobe128 Clone() => new(this);

    public void MetaAd(ReadOnlySpan<byte> data, bool more) { BeginOp((byte)(FlagM | FlagA), more); Absorb(data); }
    public void Ad(ReadOnlySpan<byte> data, bool more) { BeginOp(FlagA, more); Absorb(data); }
    public void Prf(Span<byte> dst, bool more) { BeginOp((byte)(FlagI | FlagA | FlagC), more); Squeeze(dst); }
    public void Key(ReadOnlySpan<byte> data, bool more) { BeginOp((byte)(FlagA | FlagC), more); Overwrite(data); }

    private void RunF()
    {
        _state[_pos] ^= (byte)_posBegin;
        _state[_pos + 1] ^= 0x04;
        _state[Rate + 1] ^= 0x80;
        KeccakF1600.Permute(_state);
        _pos = 0;
        _posBegin = 0;
    }

    private void Absorb(ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            _state[_pos] ^= b;
            if (++_pos == Rate) RunF();
        }
    }

    private void Overwrite(ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            _state[_pos] = b;
            if (++_pos == Rate) RunF();
        }
    }

    private void Squeeze(Span<byte> dst)
    {
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = _state[_pos];
            _state[_pos] = 0;
            if (++_pos == Rate) RunF();
        }
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
