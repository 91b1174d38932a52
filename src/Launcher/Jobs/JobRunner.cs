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
        RendezvousServer server;
        try
        {
            server = await RendezvousServer.StartAsync(new IPEndPoint(options.Bind, 0), credentials, loggerFactory, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SocketException exception)
        {
            throw new CollrunException($"cannot host the rendezvous server on {options.Bind}: {exception.Message}.", ExitCodes.Failure);
        }

        await using (server.ConfigureAwait(false))
        {
            string rendezvous = AddressForRanks(server.Endpoint).ToString();
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
                        ranks.Add(RankProcess.Start(rank, command, RankEnvironment.For(rank, options, rendezvous, credentials, flightRecords), output, cores?[rank]));
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
                    output.Block(FlightReport.For(flightRecords, options.Ranks));
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
                SharedMemoryTransport.RemoveLeftoverSegments(credentials, options.Ranks);
                Directory.Delete(flightRecords, recursive: true);
            }
        }
    }

    /// <summary>Ranks run on this host: a wildcard bind is reached through the loopback address.</summary>
    private static IPEndPoint AddressForRanks(IPEndPoint bound)
        => bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any)
            ? new IPEndPoint(IPAddress.Loopback, bound.Port)
            : bound;
}
