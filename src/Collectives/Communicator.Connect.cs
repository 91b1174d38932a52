using System.Net;
using System.Net.Sockets;
using Collectives.Bootstrap;
using Collectives.Execution;
using Collectives.Offload;
using Collectives.Transport;
using Collectives.Transport.Rendezvous;
using Collectives.Transport.Security;
using Collectives.Transport.Tcp;

namespace Collectives;

public sealed partial class Communicator
{
    /// <summary>
    /// Joins the job this process was launched into — by collrun, Open MPI's mpirun, MPICH's
    /// mpiexec, Slurm's srun, or torchrun and Kubernetes training operators — reading rank, size
    /// and the rendezvous address from their environment variables (see docs/launching.md), and
    /// connects to every other rank: through shared memory when they share this host, over TCP
    /// otherwise (<c>COLLECTIVES_TRANSPORT</c> = <c>auto</c>, the default; <c>shm</c> or <c>tcp</c> force one).
    /// When the launcher asks for the <c>nic</c> transport (<c>collrun --transport nic</c>),
    /// collectives run on the simulated offload NIC over those transports:
    /// <see cref="CommunicatorOptions.Offload"/> if set, else the factory the Collectives.Offload
    /// assembly names, which the program must reference. Connecting ends with a few small and
    /// large collectives on every rank, so the job's first calls do not pay for compiling and first
    /// touches (see docs/performance.md, "The first calls of a job").
    /// </summary>
    /// <param name="options">Settings shared by all ranks; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The connected communicator; dispose it when done.</returns>
    /// <exception cref="BootstrapException">The environment does not describe a job; the message names the variables looked for.</exception>
    /// <exception cref="CollectiveException">A rank could not be reached or authenticated within the timeout.</exception>
    /// <exception cref="TimeoutException">Every rank connected, but the warm-up collectives that end connecting did not finish within the connect timeout.</exception>
    /// <exception cref="NotSupportedException">
    /// <c>COLLECTIVES_TRANSPORT</c> names a transport this program cannot run, for example <c>nic</c> in a program that does not
    /// reference Collectives.Offload; the message says which reference to add or which transports there are.
    /// </exception>
    public static Task<Communicator> ConnectAsync(CommunicatorOptions? options = null, CancellationToken cancellationToken = default)
        => ConnectAsync(LaunchEnvironment.Detect(), options, cancellationToken);

    /// <summary>Joins the job <paramref name="launch"/> describes, over the transport it names (see <see cref="LaunchInfo.Transport"/>).</summary>
    /// <param name="launch">Who this rank is and where the rendezvous is, for example from <see cref="LaunchEnvironment.Detect(Func{string, string?})"/>.</param>
    /// <param name="options">Settings shared by all ranks; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The connected communicator; dispose it when done.</returns>
    /// <exception cref="NotSupportedException"><see cref="LaunchInfo.Transport"/> names a transport this program cannot run (see the other overload).</exception>
    public static async Task<Communicator> ConnectAsync(LaunchInfo launch, CommunicatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ResolvedOptions resolved = ResolvedOptions.Resolve(options, Environment.GetEnvironmentVariable);
        string transportChoice = TransportConnector.Auto;
        if (launch.Transport is { } requested && !TransportConnector.IsTransport(requested))
        {
            // An offload transport is an engine over the usual transports, not a transport of its own.
            // The program gets the exception when it cannot run one (no Collectives.Offload): its message says what to change.
            resolved = resolved with { Offload = resolved.Offload ?? OffloadProviders.Create(requested) };
        }
        else
        {
            transportChoice = TransportConnector.Choose(launch.Transport);
        }

        JobCredentials credentials = launch.CreateCredentials();
        RendezvousServer? server = launch.HostsRendezvous ? await HostRendezvousAsync(launch, credentials, options, cancellationToken).ConfigureAwait(false) : null;
        try
        {
            ITransport transport;
            await using (RendezvousClient store = await RendezvousClient.ConnectAsync(launch.RendezvousEndPoint, credentials, resolved.ConnectTimeout, cancellationToken).ConfigureAwait(false))
            {
                transport = await TransportConnector.ConnectAsync(
                    transportChoice, launch, credentials, store, () => TcpOptionsFor(launch, resolved, options), resolved.SharedMemory, resolved.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            }

            var communicator = new Communicator(transport, resolved, launch.JobId);
            try
            {
                // Every rank has read every address once all of them are through this barrier, so
                // the rendezvous server (hosted here only under foreign launchers) can stop.
                await communicator.BarrierAsync(cancellationToken).ConfigureAwait(false);
                await ConnectWarmUp.RunAsync(communicator, resolved.ConnectTimeout, cancellationToken).ConfigureAwait(false);
                return communicator;
            }
            catch
            {
                await communicator.DisposeAsync().ConfigureAwait(false);
                throw;
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

    /// <summary>Rank 0's rendezvous server under a foreign launcher; a port another process holds is a <see cref="BootstrapException"/> naming what moves it.</summary>
    private static async Task<RendezvousServer> HostRendezvousAsync(LaunchInfo launch, JobCredentials credentials, CommunicatorOptions? options, CancellationToken cancellationToken)
    {
        try
        {
            return await RendezvousServer.StartAsync(launch.RendezvousBindEndPoint, credentials, options?.LoggerFactory, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new BootstrapException(
                $"Rank 0 cannot host the rendezvous on port {launch.RendezvousPort}: another process holds it (under torchrun, its agent holds {LaunchVariables.MasterPort}). "
                + $"Give the job a free port in {LaunchVariables.MasterPort}, or a whole address in {LaunchVariables.Rendezvous}.",
                [LaunchVariables.MasterPort, LaunchVariables.Rendezvous]);
        }
    }

    private static TcpTransportOptions TcpOptionsFor(LaunchInfo launch, ResolvedOptions resolved, CommunicatorOptions? options)
    {
        string? bind = resolved.Bind;
        bool rendezvousIsLocal = launch.RendezvousEndPoint is IPEndPoint { Address: var address } ? IPAddress.IsLoopback(address)
            : string.Equals(launch.RendezvousHost, "localhost", StringComparison.OrdinalIgnoreCase);
        // COLLECTIVES_BIND wins; else an interface filter picks the address to listen on and
        // advertise; else every interface, advertised by host name (loopback for a local job).
        IPAddress bindAddress = !string.IsNullOrEmpty(bind) ? (IPAddress.TryParse(bind, out IPAddress? parsed) ? parsed : IPAddress.Any)
            : resolved.SocketInterface is { } filter ? InterfaceFilter.Choose(filter, LaunchVariables.SocketInterface)
            : rendezvousIsLocal ? IPAddress.Loopback : IPAddress.Any;
        return new TcpTransportOptions
        {
            BindAddress = bindAddress,
            BindInterface = string.IsNullOrEmpty(bind) || IPAddress.TryParse(bind, out _) ? null : bind,
            ConnectTimeout = resolved.ConnectTimeout,
            LoggerFactory = options?.LoggerFactory,
        };
    }
}
