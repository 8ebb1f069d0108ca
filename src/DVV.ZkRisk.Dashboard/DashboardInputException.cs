namespace DVV.ZkRisk.Dashboard;

/// <summary>Input to a dashboard view that cannot be used: the endpoint answers <see cref="NotFound"/> ? 404 : 400 with
/// {"error": "field: reason"}, never a stack trace.</summary>
internal sealed class DashboardInputException(string field, string reason, bool notFound = false) : Exception($"{field}: {reason}")
{
    public string Field { get; } = field;
    public bool NotFound { get; } = notFound;
}
