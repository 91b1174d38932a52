using System.Net;
using System.Net.Sockets;
using Collectives.Launcher.Output;
using Collectives.Launcher.Programs;
using Collectives.Launcher.Signals;
using Collectives.Transport.Rendezvous;
using Collectives.Transport.Security;
using Collectives.Transport.SharedMemory;
using Microsoft.Extensions.Logging;

namespace Collectives.Launcher.Jobs;

/// <summary>Runs one job: hosts its rendezvous server, starts the ranks, supervises them until all have ended, and removes what they left in /dev/shm.</summary>
internal static class JobRunner
{
    public static async Task<int> RunAsync(LaunchOptions options, ProgramCommand command, JobCredentials credentials, PrefixedOutput output, Interrupts interrupts)
    {
        using var loggerFactory = new LauncherLoggerFactory(output, LogLevel.Warning);

        // Across nodes only node 0's collrun hosts the rendezvous, on the master port; the others
        // point their ranks at it.
        RendezvousServer? server = options.Nodes is { HostsRendezvous: false } ? null : await HostRendezvousAsync(options, credentials, loggerFactory).ConfigureAwait(false);
        try
        {
            string rendezvous = options.Nodes?.Rendezvous ?? AddressForRanks(server!.Endpoint).ToString();
            var ranks = new List<RankProcess>(options.Ranks);
            int[]? cores = CorePlan.For(options.BindTo, options.Ranks, CorePlan.AvailableProcessors());
            string flightRecords = Directory.CreateTempSubdirectory("collrun-flight-").FullName;
            try
            {
                CollrunException? startFailure = null;
                for (int rank = 0; rank < options.Ranks && !interrupts.Requested.IsCancellationRequested; rank++)
                {
                    try
                    {
                        // Output lines and messages name the job's rank, not this collrun's count of it.
                        ranks.Add(RankProcess.Start(options.JobRank(rank), command, RankEnvironment.For(rank, options, rendezvous, credentials, flightRecords), output, cores?[rank]));
                    }
                    catch (CollrunException exception)
                    {
                        startFailure = exception;
                        break;
                    }
                }

                var supervisor = new JobSupervisor(ranks, output, options.GracePeriod);
                interrupts.Subscribe(supervisor.Interrupt);
                if (startFailure is not null)
                {
                    supervisor.Abort();
                    await supervisor.SuperviseAsync().ConfigureAwait(false);
                    throw startFailure;
                }

                int exitCode = await supervisor.SuperviseAsync().ConfigureAwait(false);
                if (exitCode != 0)
                {
                    output.Block(FlightReport.For(flightRecords, options.JobSize, Enumerable.Range(0, options.Ranks).Select(options.JobRank)));
                }

                return exitCode;
            }
            finally
            {
                // Normally all have ended; after an unexpected error none may outlive collrun.
                foreach (RankProcess rank in ranks)
                {
                    rank.Kill();
                    rank.Dispose();
                }

                // A rank killed between creating a shared-memory segment and announcing it leaves
                // the name to whoever can compute it from the job's id and secret: collrun can.
                SharedMemoryTransport.RemoveLeftoverSegments(credentials, options.JobSize);
                Directory.Delete(flightRecords, recursive: true);
            }
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<RendezvousServer> HostRendezvousAsync(LaunchOptions options, JobCredentials credentials, ILoggerFactory loggerFactory)
    {
        int port = options.Nodes?.MasterPort ?? 0;
        try
        {
            return await RendezvousServer.StartAsync(new IPEndPoint(options.Bind, port), credentials, loggerFactory, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressAlreadyInUse && port != 0)
        {
            throw new CollrunException(
                $"cannot host the rendezvous on port {port}: another process holds it (a torchrun agent holds MASTER_PORT, for one); choose a free one with --master-port (or {NodeLayout.MasterPortVariable}) on every node.",
                ExitCodes.Failure);
        }
        catch (SocketException exception)
        {
            throw new CollrunException($"cannot host the rendezvous server on {options.Bind}{(port == 0 ? string.Empty : $" port {port}")}: {exception.Message}.", ExitCodes.Failure);
        }
    }

    /// <summary>Ranks run on this host: a wildcard bind is reached through the loopback address.</summary>
    private static IPEndPoint AddressForRanks(IPEndPoint bound)
        => bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any)
            ? new IPEndPoint(IPAddress.Loopback, bound.Port)
            : bound;
}
