using System.Diagnostics;

namespace Collectives.Benchmarks.Tests.Support;

/// <summary>Runs one of the command-line tools built next to the tests (collbench, collsim, collrun) as a process.</summary>
internal sealed record ToolRun(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>No tool run by these tests may take longer than this.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public string[] ErrorLines => StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Runs <c>dotnet tool.dll args</c> with no launcher's variables in its environment.</summary>
    public static Task<ToolRun> RunAsync(string tool, params string[] args) => RunAsync(new Dictionary<string, string>(), tool, args);

    /// <summary>Runs <c>dotnet tool.dll args</c> with <paramref name="environment"/> as its only COLLECTIVES_* variables.</summary>
    public static async Task<ToolRun> RunAsync(IReadOnlyDictionary<string, string> environment, string tool, params string[] args)
    {
        var startInfo = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, tool + ".dll"));
        foreach (string argument in args)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (string variable in startInfo.Environment.Keys.Where(key => key.StartsWith("COLLECTIVES_", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(variable);
        }

        foreach ((string name, string value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        using Process process = Process.Start(startInfo)!;
        Task<string> standardOutput = process.StandardOutput.ReadToEndAsync();
        Task<string> standardError = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} {string.Join(' ', args)} did not finish within {Limit.TotalSeconds} s.");
        }

        return new ToolRun(process.ExitCode, await standardOutput, await standardError);
    }

    /// <summary>The dotnet host that runs the tools (the SDK's when it says where it is).</summary>
    public static string DotnetHost { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
