using Collectives.Launcher.Output;
using Collectives.Transport.Security;

namespace Collectives.Launcher;

/// <summary>
/// The job's id and secret: <c>--job-id</c> or a fresh id (process id and random bytes, so two
/// collruns on one machine never collide), and the secret from <c>--secret-file</c> or a fresh
/// random one. Across nodes, where the agents cannot share a fresh one, the id defaults to one
/// made from the master address and port and the secret to one derived from the id. The secret
/// reaches the ranks only through their environment.
/// </summary>
internal static class LaunchCredentials
{
    public static JobCredentials Create(LaunchOptions options, PrefixedOutput output)
    {
        // The agents of one job across hosts must agree without talking: the id comes from what
        // they all are given, the master address and port.
        string jobId = options.JobId
            ?? (options.Nodes is { } nodes ? $"collrun-{nodes.MasterAddress}-{nodes.MasterPort}"
                : $"collrun-{Environment.ProcessId}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6))}");
        if (options.SecretFile is not { } path)
        {
            if (options.Nodes is null)
            {
                return JobCredentials.Generate(jobId);
            }

            // Bootstrap's derived secret, as under other launchers: it keeps jobs apart, but anyone
            // who knows the id can compute it.
            output.Message("no --secret-file: the job's secret is derived from its id, which keeps jobs apart but authenticates nothing; give every node the same --secret-file on a shared network.");
            return new JobCredentials(jobId, Bootstrap.DerivedSecret.For(jobId));
        }

        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw CollrunCommand.UsageError($"cannot read --secret-file '{path}': {exception.Message}");
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
        {
            output.Message($"warning: --secret-file '{path}' is readable by other users; chmod 600 it.");
        }

        try
        {
            return JobCredentials.FromBase64(jobId, text);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            throw CollrunCommand.UsageError($"--secret-file '{path}' must hold the secret in base64, at least 16 bytes once decoded (for example: openssl rand -base64 32 > {path}).");
        }
    }
}
