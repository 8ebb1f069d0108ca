using DVV.ZkRisk.Protocol;
using DVV.ZkRisk.Protocol.Sealing;

namespace DVV.ZkRisk.Venue.Gateway;

/// <summary>A submission the gateway checked, stored and acknowledged: the epoch it entered, that epoch's decoded
/// context, and the sealer's input with the book already parsed and valued (<see cref="SealInput.Book"/>,
/// <see cref="SealInput.Valuation"/>).</summary>
internal sealed record AcceptedSubmission(ulong Epoch, EpochContext Context, SealInput Input);
