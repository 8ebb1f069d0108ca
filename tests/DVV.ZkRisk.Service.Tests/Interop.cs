using System.Diagnostics;
using System.Text.Json;

namespace DVV.ZkRisk.Service.Tests;

internal static class Repo
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "DVV.ZkRisk.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root (DVV.ZkRisk.sln) not found above " + AppContext.BaseDirectory);
    }

    public static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";

    /// <summary>protoc as shipped in the Grpc.Tools NuGet package.</summary>
    public static string Protoc()
    {
        var pkgs = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var exe = Path.Combine(pkgs, "grpc.tools", "2.85.0", "tools", "linux_x64", "protoc");
        if (!File.Exists(exe)) throw new FileNotFoundException("protoc from Grpc.Tools 2.85.0 not found", exe);
        return exe;
    }

    public static (int Exit, string Out, string Err) Run(string file, string args, TimeSpan timeout, string? cwd = null)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd ?? Root };
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout)) { p.Kill(true); throw new TimeoutException($"{file} {args} did not finish in {timeout}"); }
        p.WaitForExit();
        return (p.ExitCode, o.Result, e.Result);
    }

    public static Dictionary<string, JsonElement> ParseCases(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(e => e.GetProperty("case").GetString()!, e => e);
}
