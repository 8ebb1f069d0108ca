namespace DVV.ZkRisk.Crypto.Sigma;

/// <summary>
/// What every epoch proof is bound to: the epoch number, the hash of the governance parameter set in
/// force and the combined hash of the statement definitions (circuits/). A proof replayed into another
/// epoch, under other parameters or against another statement version fails its challenge.
/// </summary>
public sealed record StatementBinding(ulong Epoch, byte[] ParameterHash, byte[] StatementHash)
{
    public void AppendTo(Transcript t)
    {
        if (ParameterHash.Length != 32 || StatementHash.Length != 32)
            throw new ArgumentException("parameter and statement hashes must be 32 bytes");
        t.AppendU64("epoch"u8, Epoch);
        t.AppendMessage("parameter-hash"u8, ParameterHash);
        t.AppendMessage("statement-hash"u8, StatementHash);
    }
}
