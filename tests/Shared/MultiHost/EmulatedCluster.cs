using System.Diagnostics;

namespace Collectives.Tests.Shared.MultiHost;

/// <summary>
/// A cluster of hosts emulated by tools/cluster on this machine (network namespaces with their own
/// host names and /dev/shm, joined by a bridge), brought up for a fixture and always taken down.
/// Needs root, as CI has. Shared by the test projects that run jobs across hosts.
/// </summary>
internal sealed class EmulatedCluster : IDisposable
{
    private static readonly string Script = FindScript();

    private EmulatedCluster(string name, int hosts)
    {
        Name = name;
        Hosts = hosts;
    }

    /// <summary>tools/cluster-rsh: an ssh-shaped remote shell into a host of the cluster named by <c>COLLECTIVES_CLUSTER</c>, for mpirun's plm_rsh_agent.</summary>
    public static string RemoteShell => Path.Combine(Path.GetDirectoryName(Script)!, "cluster-rsh");

    /// <summary>The cluster's name (tools/cluster --name), unique to this instance.</summary>
    public string Name { get; }

    /// <summary>How many hosts it has: node0 .. node(Hosts-1).</summary>
    public int Hosts { get; }

    /// <summary>Whether this process can make clusters: tools/cluster needs root.</summary>
    public static bool CanRun => Environment.IsPrivilegedProcess && OperatingSystem.IsLinux();

    /// <summary>Ends the test as ignored, saying why, when this process cannot make clusters.</summary>
    public static void RequireRoot()
    {
        if (!CanRun)
        {
            // CI runs as root, so these tests run there; a developer without root is told why they did not.
            NUnit.Framework.Assert.Ignore("The emulated cluster (tools/cluster) needs root on Linux: network and mount namespaces.");
        }
    }

    /// <summary>
    /// Brings up <paramref name="hosts"/> hosts, their links shaped to <paramref name="rate"/> (an htb
    /// rate such as 10gbit) when given; without <paramref name="names"/> a host resolves only its own name.
    /// </summary>
    public static EmulatedCluster Up(int hosts, string? rate = null, bool names = true)
    {
        // Short and unique: names become namespace and interface names.
        var cluster = new EmulatedCluster($"t{Random.Shared.Next(0, 1 << 20):x5}", hosts);
        List<string> arguments = ["up", hosts.ToString(System.Globalization.CultureInfo.InvariantCulture), "--name", cluster.Name];
        if (rate is not null)
        {
            arguments.AddRange(["--rate", rate]);
        }

        if (!names)
        {
            arguments.Add("--no-names");
        }

        try
        {
            cluster.Run([.. arguments]);
        }
        catch
        {
            cluster.Dispose();
            throw;
        }

        return cluster;
    }

    /// <summary>The IP address of host <paramref name="index"/> on the cluster's subnet.</summary>
    public string Address(int index)
        => Run(["hosts", "--name", Name]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Single(fields => fields[0] == HostName(index))[1];

    /// <summary>The host name of host <paramref name="index"/>.</summary>
    public static string HostName(int index) => $"node{index}";

    /// <summary>A process that runs <paramref name="command"/> on <paramref name="host"/>, not yet started, its output redirected.</summary>
    public ProcessStartInfo Command(string host, IEnumerable<string> command)
    {
        var start = new ProcessStartInfo(Script) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])["exec", host, "--name", Name, "--", .. command])
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>The files in every host's /dev/shm (a directory of tools/cluster's per host).</summary>
    public string[] SharedMemoryFiles()
    {
        string root = $"/run/collectives-cluster/{Name}/shm";
        return Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories) : [];
    }

    /// <summary>Takes <paramref name="host"/>'s link down, as a pulled cable.</summary>
    public void Cut(string host) => Run(["cut", host, "--name", Name]);

    /// <summary>Removes the cluster; also after a failed test.</summary>
    public void Dispose() => Run(["down", "--name", Name]);

    private string Run(string[] arguments)
    {
        var start = new ProcessStartInfo(Script) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("tools/cluster did not start.");
        Task<string> errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"tools/cluster {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors.Result}");
    }

    /// <summary>tools/cluster of the repository the tests were built from, found upwards from the test binaries.</summary>
    private static string FindScript()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string script = Path.Combine(directory.FullName, "tools", "cluster");
            if (File.Exists(Path.Combine(directory.FullName, "Collectives.sln")) && File.Exists(script))
            {
                return script;
            }
        }

        throw new FileNotFoundException($"No tools/cluster above {AppContext.BaseDirectory}.");
    }
}
