using DVV.ZkRisk.Protocol.Records;
using DVV.ZkRisk.Crypto;
using DVV.ZkRisk.Crypto.Sigma;
using DVV.ZkRisk.Protocol.Sealing;

namespace DVV.ZkRisk.Protocol.Verification;

/// <summary>One trader's selection parts in a bundle (circuits/selection.v2.json, selection.v3.json): one part per shock,
/// issued in a valid epoch, decodable; the statements the bundle's selection batch verifies. Under selection.v3 (the flag
/// statement) every part also selects the basepoint B into its flag bit F_s and is issued in the bundle's own epoch: the
/// flags are proven under this epoch's coefficients whenever parts are published.</summary>
internal static class SelectionGroupCheck
{
    public sealed record Outcome(List<Finding> Findings, List<SelectionStatement> Statements, List<string> Where, TraderState? State);

    /// <summary>One trader's selection parts: one per shock, issued in a valid epoch, decodable; the statements to batch-verify.</summary>
    public static Outcome Check(string hex, List<(int Index, SelectionPart Part)> g, TraderState? st,
        bool checkpoint, ulong epoch, byte[] paramHash, byte[] statementHash, int bands, int shocks, bool withFlagBit, bool combined = false)
    {
        var f = new List<Finding>();
        var statements = new List<SelectionStatement>(shocks);
        var where = new List<string>(shocks);
        Outcome Fail() => new(f, [], [], null);
        string at = $"selections[{g[0].Index}]";
        if (st is null) { f.Add(new Finding(FindingKind.Selection, at, $"trader {BundleCheck.Short(hex)} has no submission in the state")); return Fail(); }
        if (g.Count != shocks || g.Select(x => (int)x.Part.ShockIndex).OrderBy(x => x).Where((s, k) => s == k).Count() != shocks)
        { f.Add(new Finding(FindingKind.Selection, at, $"trader {BundleCheck.Short(hex)}: needs exactly one part per shock 0..{shocks - 1}, got {g.Count}")); return Fail(); }
        var parts = g.OrderBy(x => x.Part.ShockIndex).ToArray();
        var selected = new RistrettoPoint[shocks][];
        var selectedZ = combined ? null : new RistrettoPoint[shocks][];
        var flagBits = withFlagBit ? new RistrettoPoint[shocks] : null;
        // One proof per shock covers D over the short commitments and E over the short indicators (circuits/selection.v2.json).
        // The bytes the points were decoded from go into the transcripts as they are (no re-encoding).
        // selection.v4: one base per band, C_b + chi Z_b (computed and encoded here), then B
        var bases = combined ? st.CombinedSelectionBases() : st.SelectionBases(withFlagBit);
        var baseBytes = combined ? TraderState.Encodings(bases) : st.SelectionBaseBytes(withFlagBit);
        int indicators = combined ? 0 : bands;
        foreach (var (i, p) in parts)
        {
            string w = $"selections[{i}]";
            if (p.Selected.Count != bands || p.SelectedIndicators.Count != indicators) { f.Add(new Finding(FindingKind.Selection, w, $"must hold {bands} selected commitments and {indicators} selected indicators")); return Fail(); }
            if (p.IssuedEpoch > epoch || p.IssuedEpoch == 0 || (p.IssuedEpoch == epoch && !p.IssuedParameterHash.Span.SequenceEqual(paramHash)))
            { f.Add(new Finding(FindingKind.Selection, w + ".issued_epoch", $"issued in epoch {p.IssuedEpoch} with a parameter hash that is not this bundle's")); return Fail(); }
            if (!checkpoint && p.IssuedEpoch != epoch)
            { f.Add(new Finding(FindingKind.Selection, w + ".issued_epoch", $"a non-checkpoint bundle carries only parts issued in epoch {epoch}")); return Fail(); }
            if (withFlagBit && p.IssuedEpoch != epoch)
            { f.Add(new Finding(FindingKind.Selection, w + ".issued_epoch", $"under the flag statement every published part is issued, with its flag proof, in the bundle's epoch {epoch} (a checkpoint re-proves every trader)")); return Fail(); }
            if (withFlagBit != p.FlagBit.HasValue)
            { f.Add(new Finding(FindingKind.Selection, w + ".flag_bit", withFlagBit ? "missing: selection.v3 selects the flag bit F_s" : "present, but selection.v2 has no flag bit")); return Fail(); }
            var points = p.Selected.Points();
            var zpoints = p.SelectedIndicators.Points();
            var bytes = new ReadOnlyMemory<byte>[bases.Length];
            for (int b = 0; b < bands; b++) bytes[b] = p.Selected[b].Encoding;
            for (int b = 0; b < indicators; b++) bytes[bands + b] = p.SelectedIndicators[b].Encoding;
            selected[p.ShockIndex] = points;
            if (selectedZ is not null) selectedZ[p.ShockIndex] = zpoints;
            RistrettoPoint[] all = [.. points, .. zpoints];
            if (withFlagBit)
            {
                var fb = p.FlagBit!.Value;
                bytes[bands + indicators] = fb.Encoding;
                flagBits![p.ShockIndex] = fb.Point;
                all = [.. all, fb.Point];
            }
            if (p.Proof is not { } proof) { f.Add(new Finding(FindingKind.SelectionProof, w + ".proof", "missing")); return Fail(); }
            statements.Add(new SelectionStatement(new StatementBinding(p.IssuedEpoch, p.IssuedParameterHash.ToArray(), statementHash),
                st.Trader, (int)p.ShockIndex, bases, all, proof)
            { BandCommitmentBytes = baseBytes, SelectedBytes = bytes });
            where.Add($"{w} (trader {BundleCheck.Short(hex)}, shock {p.ShockIndex})");
        }
        var partArr = parts.Select(x => x.Part).ToArray();
        var state = new TraderState
        {
            Trader = st.Trader, Submission = st.Submission, SubmissionDigest = st.SubmissionDigest, Short = st.Short, Long = st.Long,
            ShortZ = st.ShortZ, LongZ = st.LongZ,
            Parts = partArr, Selected = selected, SelectedIndicators = selectedZ, SelectionDigest = BundleFormat.SelectionDigest(partArr),
            FlagBits = flagBits,
        };
        return new Outcome(f, statements, where, state);
    }
}
