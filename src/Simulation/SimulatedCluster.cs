using Collectives.Simulation.Engine;
using Collectives.Simulation.Host;
using Collectives.Simulation.Network;
using Collectives.Simulation.Transport;
using Collectives.Transport;

namespace Collectives.Simulation;

/// <summary>
/// A simulated cluster: one rank per node, each with a host CPU and a NIC on a simulated network,
/// and a real <see cref="Collectives.Communicator"/> per rank over a simulated transport, so the
/// library's own algorithms run unchanged in virtual time. Everything runs on the calling thread.
/// </summary>
/// <example>
/// <code>
/// using var cluster = new SimulatedCluster(256, new SimulationOptions());
/// double[][] data = ...;
/// SimulationRun run = cluster.Run(rank => cluster.Communicators[rank].AllreduceAsync(data[rank].AsMemory(), ReduceOp.Sum));
/// Console.WriteLine($"tc = {run.CompletionNs} ns");
/// </code>
/// </example>
public sealed class SimulatedCluster : IDisposable
{
    private static readonly CommunicatorOptions DefaultCommunicatorOptions = new() { VerifyCalls = false, Timeout = TimeSpan.FromDays(1) };

    private readonly SimulatedTransport[] _transports;
    private readonly Communicator[] _communicators;
    private PeerAbortedException? _abort;

    /// <summary>Creates the cluster.</summary>
    /// <param name="size">Number of nodes (and ranks), at least 1.</param>
    /// <param name="options">The model; null for the defaults.</param>
    public SimulatedCluster(int size, SimulationOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Options = options ?? new SimulationOptions();
        Options.Host.Validate();
        Size = size;
        Engine = new SimulationEngine();
        Network = new PacketNetwork(Engine, Options.Network, size);
        _transports = new SimulatedTransport[size];
        _communicators = new Communicator[size];
        CommunicatorOptions communicatorOptions = Options.Communicator ?? DefaultCommunicatorOptions;
        for (int rank = 0; rank < size; rank++)
        {
            _transports[rank] = new SimulatedTransport(this, rank, new HostCpu(Options.Host.Noise, RankSeed(Options.Seed, rank)));
            _communicators[rank] = Collectives.Communicator.Create(_transports[rank], communicatorOptions);
        }
    }

    /// <summary>Number of nodes (one rank each).</summary>
    public int Size { get; }

    /// <summary>The model.</summary>
    public SimulationOptions Options { get; }

    /// <summary>The engine and its virtual clock.</summary>
    public SimulationEngine Engine { get; }

    /// <summary>Each rank's communicator over the simulated network, index = rank.</summary>
    public IReadOnlyList<Communicator> Communicators => _communicators;

    internal PacketNetwork Network { get; }

    internal HostOptions Host => Options.Host;

    /// <summary>
    /// Starts <paramref name="program"/> on every rank at the same virtual time t0 (once the
    /// previous experiment is over) and runs the engine until every rank has finished.
    /// </summary>
    /// <param name="program">What rank r does; typically one collective call on <see cref="Communicators"/>[r].</param>
    /// <returns>When each rank finished.</returns>
    /// <exception cref="SimulationStalledException">Some rank waited for a message that never came.</exception>
    public SimulationRun Run(Func<int, ValueTask> program)
    {
        ArgumentNullException.ThrowIfNull(program);
        long start = Math.Max(Engine.Now, _transports.Max(transport => transport.Cpu.BusyUntil));
        Engine.AdvanceTo(start);
        long events = Engine.EventsRun;
        long messages = Network.Messages;
        var finish = new long[Size];
        var ranks = new Task[Size];

        // Continuations must run inline on this thread, never be posted to a captured context.
        SynchronizationContext? previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            for (int rank = 0; rank < Size; rank++)
            {
                _transports[rank].Cpu.IdleUntil(start);
                ranks[rank] = RunRankAsync(rank, program, finish);
            }

            Engine.Run();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        ThrowIfUnfinished(ranks);
        return new SimulationRun(start, finish, Engine.EventsRun - events, Network.Messages - messages);
    }

    /// <summary>Disposes every rank's communicator.</summary>
    public void Dispose()
    {
        foreach (Communicator communicator in _communicators)
        {
            communicator.Dispose();
        }
    }

    internal SimulatedTransport Transport(int rank) => _transports[rank];

    internal HostCpu Cpu(int rank) => _transports[rank].Cpu;

    internal void ThrowIfAborted()
    {
        if (_abort is { } abort)
        {
            throw new PeerAbortedException(abort.OriginRank, abort.Reason);
        }
    }

    internal void Abort(int rank, byte[] reason)
    {
        if (_abort is not null)
        {
            return;
        }

        _abort = new PeerAbortedException(rank, reason);
        foreach (SimulatedTransport transport in _transports)
        {
            Engine.At(Engine.Now, () => transport.FailPending(new PeerAbortedException(rank, reason)));
        }
    }

    /// <summary>
    /// A seed per rank derived from the run's seed with SplitMix64's mixer: stable across processes
    /// and runtimes (unlike <see cref="HashCode"/>, which is randomised per process), and unrelated
    /// between neighbouring ranks.
    /// </summary>
    private static int RankSeed(int seed, int rank)
    {
        ulong z = unchecked(((ulong)(uint)seed << 32 | (uint)rank) + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)(z ^ (z >> 31));
    }

    private async Task RunRankAsync(int rank, Func<int, ValueTask> program, long[] finish)
    {
        await program(rank).ConfigureAwait(false);
        finish[rank] = Math.Max(Engine.Now, _transports[rank].Cpu.BusyUntil);
    }

    private void ThrowIfUnfinished(Task[] ranks)
    {
        // The lowest failed rank's exception, as it was thrown (cancellation included).
        ranks.FirstOrDefault(task => task.IsFaulted || task.IsCanceled)?.GetAwaiter().GetResult();

        int[] waiting = [.. Enumerable.Range(0, Size).Where(rank => !ranks[rank].IsCompleted)];
        if (waiting.Length > 0)
        {
            throw new SimulationStalledException(
                $"No event is left at {Engine.Now} ns but {waiting.Length} rank(s) have not finished, for example {string.Join(", ", waiting.Take(8))}: they wait for messages nobody sends.");
        }
    }
}
