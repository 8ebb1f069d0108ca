using System.Reflection;

namespace DVV.ZkRisk.Dashboard;

/// <summary>The page's files (wwwroot/, embedded in this assembly so that the service and the CLI need nothing on disk and
/// no npm step): index.html, dashboard.js, dashboard.css, with their content types.</summary>
internal static class DashboardAssets
{
    public static readonly IReadOnlyDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["dashboard.js"] = "text/javascript; charset=utf-8",
        ["dashboard.css"] = "text/css; charset=utf-8",
    };

    private static readonly Dictionary<string, string> Cache = new(StringComparer.Ordinal);

    /// <summary>An asset's text; null for a name that is not one of <see cref="ContentTypes"/>.</summary>
    public static string? Text(string name)
    {
        if (!ContentTypes.ContainsKey(name)) return null;
        lock (Cache)
        {
            if (Cache.TryGetValue(name, out var t)) return t;
            using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream("wwwroot/" + name)
                ?? throw new InvalidOperationException($"the dashboard asset {name} is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}");
            using var r = new StreamReader(s);
            return Cache[name] = r.ReadToEnd();
        }
    }
}
