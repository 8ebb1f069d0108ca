using System.Diagnostics;

namespace DVV.ZkRisk.Service.Tests;

/// <summary>The built dvv-zk CLI, run as a process the way a user runs it: its exit code, stdout and stderr.</summary>
internal static class DvvZk
{
    public static string Dll { get; } = Path.Combine(Repo.Root, "src", "DVV.ZkRisk.Cli", "bin", Repo.Configuration, "net10.0", "dvv-zk.dll");

    /// <summary>`dotnet dvv-zk.dll ARGS`, not yet started (a long-running verb such as serve), with a wide console.</summary>
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        Assert.True(File.Exists(Dll), Dll + " not built");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["COLUMNS"] = "200";
        return psi;
    }

    /// <summary>Runs a verb to its end (at most two minutes).</summary>
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        using var p = Process.Start(StartInfo(args))!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(120_000), "dvv-zk " + string.Join(' ', args) + " did not finish");
        return (p.ExitCode, o.Result, e.Result);
    }
}
