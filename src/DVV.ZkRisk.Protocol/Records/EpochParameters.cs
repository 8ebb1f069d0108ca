namespace DVV.ZkRisk.Protocol.Records;

/// <summary>
/// An epoch's parameter set as governed, hashed and published (wire: dvv.zkrisk.v1.ParameterSet), field for field: the
/// parameter hash every transcript binds is defined over its canonical encoding (<see cref="Submissions.SubmissionDigest.ParameterSet"/>).
/// Read it through <see cref="EpochContext"/>, which decodes the risk parameters and the market once.
/// </summary>
public sealed record EpochParameters
{
    public uint Version { get; init; }
    public BandGridDeclaration? BandGrid { get; init; }
    /// <summary>USD; the forward bands are centred on.</summary>
    public double ReferenceForward { get; init; }
    /// <summary>Days to expiry are measured from here.</summary>
    public long ValuationTimeUnixMs { get; init; }
    /// <summary>n of the exposure range proofs (0 reads as 64).</summary>
    public uint RangeBits { get; init; }
    public uint KMin { get; init; }
    public IReadOnlyList<double> LsfShocks { get; init; } = [];
    /// <summary>Open-interest unit: contracts x this.</summary>
    public ulong ContractScale { get; init; }
    /// <summary>The risk engine's parameter set, canonical JSON (DVV.ZkRisk.Risk.ParameterSet); empty: the default set.</summary>
    public ReadOnlyMemory<byte> RiskParameters { get; init; }
    public MarketParameters? Market { get; init; }
    /// <summary>A full checkpoint every this many epochs (0: every epoch).</summary>
    public uint CheckpointInterval { get; init; }
    /// <summary>The governance committee in force from this set on; the next set needs its quorum.</summary>
    public Governance? Governance { get; init; }
    /// <summary>The BLS committee whose quorum publishes an epoch (VerifierCommittee.CommitteeId).</summary>
    public ReadOnlyMemory<byte> CommitteeId { get; init; }
    /// <summary>Ed25519 keys of the onboarding authorities that admit trader keys.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> OnboardingKeys { get; init; } = [];
    /// <summary>Per epoch: SHA-256(cover-seed domain || seed); the seed is revealed in the bundle.</summary>
    public ReadOnlyMemory<byte> CoverSeedCommitment { get; init; }
    public IReadOnlyList<GovernanceSignature> GovernanceSignatures { get; init; } = [];
    /// <summary>The venue's Ed25519 key that signs receipts and margin notices (governed).</summary>
    public ReadOnlyMemory<byte> VenueSigningKey { get; init; }
}

/// <summary>The band grid a parameter set declares (wire: dvv.zkrisk.v1.BandGrid); the risk parameters define the grid,
/// this repeats its shape so that a trader can check it.</summary>
public sealed record BandGridDeclaration
{
    public IReadOnlyList<double> ExpiryBucketEdgesDays { get; init; } = [];
    public double MoneynessBandWidth { get; init; }
    public uint MoneynessBandCount { get; init; }
    public uint BandCount { get; init; }
    public string Source { get; init; } = "";
}

/// <summary>The public market snapshot flags and CAVB are computed on (wire: dvv.zkrisk.v1.Market).</summary>
public sealed record MarketParameters
{
    public long AsOfUnixMs { get; init; }
    public double Spot { get; init; }
    public double Rate { get; init; }
    public double Carry { get; init; }
    public double DepthCoins { get; init; }
    public double ClearingFundUsd { get; init; }
    public IReadOnlyList<SviSliceParameters> Surface { get; init; } = [];
}

/// <summary>One raw-SVI slice w(k) = a + b (rho (k - m) + sqrt((k - m)^2 + sigma^2)) (wire: dvv.zkrisk.v1.SviSliceParams).</summary>
public sealed record SviSliceParameters(double ExpiryYears, double A, double B, double Rho, double M, double Sigma);

/// <summary>A governance committee (wire: dvv.zkrisk.v1.Governance): distinct Ed25519 keys and a threshold.</summary>
public sealed record Governance(IReadOnlyList<ReadOnlyMemory<byte>> Keys, uint Threshold);

/// <summary>One governance key's Ed25519 signature over a parameter set's governed digest (wire: dvv.zkrisk.v1.GovernanceSignature).</summary>
public sealed record GovernanceSignature(uint KeyIndex, ReadOnlyMemory<byte> Signature);

/// <summary>A statement definition from circuits/ as a bundle or epoch information publishes it (wire: dvv.zkrisk.v1.StatementDefinition).</summary>
public sealed record PublishedStatement(string Name, uint Version, ReadOnlyMemory<byte> Hash, string Text);
