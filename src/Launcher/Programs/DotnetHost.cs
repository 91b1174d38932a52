namespace Collectives.Launcher.Programs;

/// <summary>Finds the <c>dotnet</c> executable that runs a .dll and builds a project.</summary>
internal static class DotnetHost
{
    /// <summary>
    /// The SDK's host when the SDK says where it is (<c>DOTNET_HOST_PATH</c>, set for tools and
    /// builds), else the host running collrun, else <c>DOTNET_ROOT</c>'s, else <c>dotnet</c> on PATH.
    /// The same host that runs collrun is preferred so a private SDK install is honoured.
    /// </summary>
    public static string Path { get; } = Locate();

    private static string Locate()
    {
        string executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        if (Environment.ProcessPath is { } processPath
            && string.Equals(System.IO.Path.GetFileName(processPath), executable, StringComparison.OrdinalIgnoreCase))
        {
            return processPath;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(System.IO.Path.Combine(root, executable)))
        {
            return System.IO.Path.Combine(root, executable);
        }

        return "dotnet";
    }
}
