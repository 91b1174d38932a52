using System.Diagnostics;

namespace Collectives.CollBench.Comparison;

/// <summary>Runs a program to completion, capturing its output, and fails with its own words when it fails.</summary>
internal static class ChildProcess
{
    public static async Task<string> RunAsync(
        string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}.");
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        string stdout = await output.ConfigureAwait(false);
        string stderr = await errors.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            string commandLine = string.Join(' ', start.ArgumentList.Prepend(fileName));
            throw new InvalidOperationException($"'{commandLine}' exited with {process.ExitCode}:\n{Tail(stderr + stdout)}");
        }

        return stdout;
    }

    /// <summary>The end of a failed run's output is where its reason is.</summary>
    private static string Tail(string text)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', lines.TakeLast(15));
    }
}
