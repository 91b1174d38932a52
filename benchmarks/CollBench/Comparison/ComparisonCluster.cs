using System.Globalization;

namespace Collectives.CollBench.Comparison;

/// <summary>
/// The emulated cluster (tools/cluster) a comparison across hosts runs on: brought up before the
/// first run and always brought down after the last, also when the session fails or is cancelled.
/// </summary>
/// <param name="Hosts">Hosts to bring up: node0 .. node(Hosts-1).</param>
/// <param name="Name">tools/cluster's --name (1-6 lower-case letters or digits), kept apart from the tests' clusters.</param>
/// <param name="Rate">An htb rate each host's link is shaped to (10gbit, 1gbit, ...); null leaves the links unshaped.</param>
/// <param name="Script">Path of tools/cluster.</param>
internal sealed record ComparisonCluster(int Hosts, string Name, string? Rate, string Script)
{
    /// <summary>The cluster name used unless --cluster-name says otherwise.</summary>
    public const string DefaultName = "cbench";

    /// <summary>Brings the cluster up; tools/cluster replaces a cluster of the same name left behind by an earlier run.</summary>
    public Task UpAsync(CancellationToken cancellationToken)
    {
        List<string> arguments = ["up", Hosts.ToString(CultureInfo.InvariantCulture), "--name", Name];
        if (Rate is not null)
        {
            arguments.AddRange(["--rate", Rate]);
        }

        return ChildProcess.RunAsync(Script, arguments, cancellationToken);
    }

    /// <summary>Brings it down; not cancellable, since it is what runs after a cancellation.</summary>
    public Task DownAsync() => ChildProcess.RunAsync(Script, ["down", "--name", Name], CancellationToken.None);

    /// <inheritdoc/>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"cluster '{Name}' of {Hosts} hosts, links {(Rate is null ? "unshaped" : "shaped to " + Rate)}");
}
