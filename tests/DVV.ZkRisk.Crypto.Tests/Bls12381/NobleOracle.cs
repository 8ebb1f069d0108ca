using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DVV.ZkRisk.Crypto.Tests.Bls12381;

/// <summary>
/// A long-lived `node tests/interop/bls/noble-oracle.mjs` child process (@noble/curves) speaking one JSON request
/// and one JSON answer per line. Missing node or node_modules is a test failure with a clear message, not a skip:
/// ./test.sh installs both.
/// </summary>
public sealed class NobleOracle : IDisposable
{
    private readonly Process _proc;
    private readonly object _lock = new();

    public NobleOracle()
    {
        var root = FindRepoRoot();
        var interop = Path.Combine(root, "tests", "interop");
        var script = Path.Combine(interop, "bls", "noble-oracle.mjs");
        if (!File.Exists(script)) throw new InvalidOperationException($"oracle script missing: {script}");
        if (!Directory.Exists(Path.Combine(interop, "node_modules", "@noble", "curves")))
            throw new InvalidOperationException($"@noble/curves is not installed in {interop}/node_modules: run `cd tests/interop && npm install` (./test.sh does this)");
        var psi = new ProcessStartInfo("node", $"\"{script}\"")
        {
            WorkingDirectory = interop,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try { _proc = Process.Start(psi) ?? throw new InvalidOperationException("could not start node"); }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("`node` (Node.js 20+) is not on PATH; the BLS interop tests need it to run @noble/curves: " + e.Message, e);
        }
        var hello = Call(new JsonObject { ["op"] = "generators" });
        if (hello["ok"]?.GetValue<bool>() != true) throw new InvalidOperationException("noble oracle failed to start: " + hello.ToJsonString());
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "DVV.ZkRisk.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (DVV.ZkRisk.sln) above " + AppContext.BaseDirectory);
    }

    public JsonNode Call(JsonObject request)
    {
        lock (_lock)
        {
            _proc.StandardInput.WriteLine(request.ToJsonString());
            _proc.StandardInput.Flush();
            var line = _proc.StandardOutput.ReadLine();
            if (line == null)
                throw new InvalidOperationException("noble oracle exited: " + _proc.StandardError.ReadToEnd());
            return JsonNode.Parse(line)!;
        }
    }

    /// <summary>Calls and requires ok = true.</summary>
    public JsonNode Ok(string op, object? args = null)
    {
        var req = args == null ? new JsonObject() : (JsonObject)JsonSerializer.SerializeToNode(args)!;
        req["op"] = op;
        var r = Call(req);
        if (r["ok"]?.GetValue<bool>() != true) throw new Xunit.Sdk.XunitException($"noble {op} failed: {r["error"]}");
        return r;
    }

    /// <summary>True when noble accepted the request (ok) and, for verifications, said valid.</summary>
    public bool Accepts(string op, object args)
    {
        var req = (JsonObject)JsonSerializer.SerializeToNode(args)!;
        req["op"] = op;
        var r = Call(req);
        if (r["ok"]?.GetValue<bool>() != true) return false;
        return r["valid"]?.GetValue<bool>() ?? true;
    }

    public void Dispose()
    {
        try { _proc.StandardInput.Close(); if (!_proc.WaitForExit(5000)) _proc.Kill(); } catch { }
        _proc.Dispose();
    }
}
