using System.Globalization;
using Collectives.Bootstrap;
using Collectives.Transport.Security;

namespace Collectives.Launcher.Jobs;

/// <summary>The environment changes each rank gets: the <c>COLLECTIVES_*</c> variables bootstrap reads, and no other launcher's rank variables.</summary>
internal static class RankEnvironment
{
    /// <summary>Variables to set (a value) or remove (null) for this collrun's <paramref name="rank"/>-th rank; its flight record goes to <paramref name="flightRecords"/>.</summary>
    public static IReadOnlyDictionary<string, string?> For(int rank, LaunchOptions options, string rendezvous, JobCredentials credentials, string flightRecords)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);

        // Inherited from an outer launcher (collrun inside an srun or mpirun step), these describe
        // collrun's process, not the ranks, and bootstrap would refuse the contradiction.
        foreach (string name in LaunchVariables.OtherLaunchersRankVariables)
        {
            variables[name] = null;
        }

        // rank is this collrun's own count; across nodes, the job's rank follows from the node's place.
        variables[LaunchVariables.Rank] = options.JobRank(rank).ToString(CultureInfo.InvariantCulture);
        variables[LaunchVariables.Size] = options.JobSize.ToString(CultureInfo.InvariantCulture);
        variables[LaunchVariables.LocalRank] = rank.ToString(CultureInfo.InvariantCulture);
        variables[LaunchVariables.Rendezvous] = rendezvous;
        variables[LaunchVariables.JobId] = credentials.JobId;
        variables[LaunchVariables.Secret] = credentials.SecretToBase64();

        // The ranks listen for each other where collrun was told to listen (loopback by default).
        variables[LaunchVariables.Bind] = options.Bind.ToString();
        variables[LaunchVariables.FlightRecords] = flightRecords;
        if (options.Transport is { } transport)
        {
            variables[LaunchVariables.Transport] = transport;
        }

        if (options.Timeout is { } timeout)
        {
            variables[LaunchVariables.Timeout] = timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        }

        return variables;
    }
}
