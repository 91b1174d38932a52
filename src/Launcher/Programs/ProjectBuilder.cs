using System.Diagnostics;
using System.Text.Json;
using Collectives.Launcher.Output;

namespace Collectives.Launcher.Programs;

/// <summary>
/// Builds a project once, in Release, before its ranks start, and finds the .dll it produced.
/// <c>dotnet build -getTargetResult:Build</c> builds and reports the output path in one step, so
/// collrun never guesses the output folder (custom OutputPath, artifacts layout and so on).
/// </summary>
internal static class ProjectBuilder
{
    public static async Task<string> BuildAsync(string projectFile, PrefixedOutput output, CancellationToken cancellationToken)
    {
        output.Message($"building {projectFile} (Release)...");
        var startInfo = new ProcessStartInfo(DotnetHost.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["build", projectFile, "-c", "Release", "-nologo", "-getTargetResult:Build"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using Process build = Process.Start(startInfo) ?? throw new CollrunException($"could not start '{DotnetHost.Path}' to build {projectFile}.", ExitCodes.CannotStart);
        Task<string> standardOutput = build.StandardOutput.ReadToEndAsync(CancellationToken.None);
        Task<string> standardError = build.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await build.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            build.Kill(entireProcessTree: true);
            throw;
        }

        string log = await standardOutput.ConfigureAwait(false);
        string errors = await standardError.ConfigureAwait(false);
        if (build.ExitCode != 0)
        {
            foreach (string line in (errors + "\n" + log).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                output.Message(line);
            }

            throw new CollrunException($"building {projectFile} failed (dotnet build exited with code {build.ExitCode}).", ExitCodes.Failure);
        }

        return FindOutputAssembly(projectFile, log);
    }

    /// <summary>Reads the built .dll from the JSON that <c>-getTargetResult:Build</c> prints (possibly after a first-run banner).</summary>
    internal static string FindOutputAssembly(string projectFile, string buildOutput)
    {
        int start = buildOutput.IndexOf("\n{", StringComparison.Ordinal) is int newline and >= 0 ? newline + 1 : buildOutput.StartsWith('{') ? 0 : -1;
        if (start < 0)
        {
            throw new CollrunException($"dotnet build did not report what it built for {projectFile}.", ExitCodes.Failure);
        }

        List<string> assemblies = [];
        try
        {
            using JsonDocument document = JsonDocument.Parse(buildOutput[start..]);
            foreach (JsonElement item in document.RootElement.GetProperty("TargetResults").GetProperty("Build").GetProperty("Items").EnumerateArray())
            {
                if (item.GetProperty("FullPath").GetString() is { } path)
                {
                    assemblies.Add(path);
                }
            }
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CollrunException($"could not read what dotnet build produced for {projectFile}: {exception.Message}", ExitCodes.Failure);
        }

        return assemblies switch
        {
            [string dll] when dll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) => dll,
            [] => throw new CollrunException($"building {projectFile} produced no assembly.", ExitCodes.Failure),
            _ => throw new CollrunException(
                $"building {projectFile} produced {string.Join(", ", assemblies)}; collrun runs one .dll: pass it directly (for a multi-targeted project, pick a framework's output).",
                ExitCodes.Failure),
        };
    }
}
