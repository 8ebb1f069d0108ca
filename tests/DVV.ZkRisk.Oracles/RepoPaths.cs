namespace DVV.ZkRisk.Oracles;

/// <summary>Locates the repository (the folder holding DVV.ZkRisk.sln) and the shared fixtures beside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "DVV.ZkRisk.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("DVV.ZkRisk.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A fixture from ../shared/fixtures (the authoritative copy) or, failing that, the copy in tests/fixtures.</summary>
    public static string Fixture(string name)
    {
        string shared = Path.GetFullPath(Path.Combine(Root, "..", "shared", "fixtures", name));
        if (File.Exists(shared)) return shared;
        string local = Path.Combine(Root, "tests", "fixtures", name);
        if (File.Exists(local)) return local;
        throw new FileNotFoundException($"fixture {name} is neither in ../shared/fixtures nor in tests/fixtures");
    }

    public static string Interop => Path.Combine(Root, "tests", "interop");
}
