using System.Text.Json;

namespace Collectives.Launcher.Programs;

/// <summary>
/// Tells, before any rank starts, whether a program can run <c>--transport nic</c>: the ranks
/// find the offload engine in the Collectives.Offload assembly, so a program that does not
/// reference it would fail on every rank. Only a .dll collrun can see is judged (next to it, the
/// assembly itself or its deps.json entry); a single-file or native program is left to its ranks.
/// </summary>
internal static class OffloadReference
{
    /// <summary>The assembly (and package) that holds the offload engine.</summary>
    public const string AssemblyName = "Collectives.Offload";

    /// <summary>Why <paramref name="command"/> cannot use the offload transport, or null when it can or collrun cannot tell.</summary>
    public static string? Problem(ProgramCommand command)
    {
        string? dll = ManagedAssembly(command);
        if (dll is null)
        {
            return null;
        }

        string folder = Path.GetDirectoryName(dll)!;
        if (File.Exists(Path.Combine(folder, AssemblyName + ".dll")))
        {
            return null;
        }

        string depsFile = Path.ChangeExtension(dll, ".deps.json");
        if (File.Exists(depsFile) && MentionsOffload(depsFile) is not false)
        {
            return null;
        }

        return $"--transport nic runs collectives on the offload engine of {AssemblyName}, which {Path.GetFileName(dll)} does not reference "
            + $"(no {AssemblyName}.dll beside it{(File.Exists(depsFile) ? " nor in its deps.json" : string.Empty)}); "
            + $"reference the {AssemblyName} package or project, or use --transport auto, shm or tcp.";
    }

    /// <summary>The .dll the ranks run: the one passed to dotnet, or the one beside an apphost executable.</summary>
    private static string? ManagedAssembly(ProgramCommand command)
    {
        if (command.FileName == DotnetHost.Path && command.Arguments is [string first, ..] && first.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return File.Exists(first) ? Path.GetFullPath(first) : null;
        }

        if (Path.GetDirectoryName(command.FileName) is not { Length: > 0 } || !File.Exists(command.FileName))
        {
            return null;
        }

        string beside = Path.ChangeExtension(Path.GetFullPath(command.FileName), ".dll");
        return File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json")) ? beside : null;
    }

    /// <summary>Whether the deps.json lists the assembly as a library; null when it cannot be read.</summary>
    private static bool? MentionsOffload(string depsFile)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(depsFile));
            return document.RootElement.TryGetProperty("libraries", out JsonElement libraries)
                && libraries.EnumerateObject().Any(library => library.Name.StartsWith(AssemblyName + "/", StringComparison.OrdinalIgnoreCase));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
