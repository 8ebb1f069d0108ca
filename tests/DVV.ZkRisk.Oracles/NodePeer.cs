using System.Diagnostics;

namespace DVV.ZkRisk.Oracles;

/// <summary>
/// Runs a Node 20 script from tests/interop with a JSON request on stdin and returns its stdout. The
/// npm packages are installed by test.sh; a missing node or package is an error, never a silent skip.
/// </summary>
public static class NodePeer
{
    public static string Run(string scriptRelativeToInterop, string stdin, int timeoutMs = 300_000)
    {
        string script = Path.Combine(RepoPaths.Interop, scriptRelativeToInterop);
        if (!File.Exists(script)) throw new FileNotFoundException("node peer script missing", script);
        if (!Directory.Exists(Path.Combine(RepoPaths.Interop, "node_modules")))
            throw new InvalidOperationException("tests/interop/node_modules is missing: run ./test.sh (it runs npm install)");
        var psi = new ProcessStartInfo("node", [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Interop,
        };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        var stdoutTask = p.StandardOutput.ReadToEndAsync();
        var stderrTask = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(timeoutMs)) { p.Kill(true); throw new TimeoutException($"node {scriptRelativeToInterop} timed out"); }
        string stdout = stdoutTask.Result, stderr = stderrTask.Result;
        if (p.ExitCode != 0) throw new InvalidOperationException($"node {scriptRelativeToInterop} exited {p.ExitCode}: {stderr}");
        return stdout;
    }
}
