using System.Runtime.InteropServices;
using Collectives.Offload;
using Collectives.Offload.Building;
using Collectives.Offload.Descriptors;
using Collectives.Offload.Nic;
using Collectives.Reduction;

namespace Collectives.Simulation.Offload;

/// <summary>
/// The offload path in virtual time: the offload library's <see cref="DescriptorBuilder"/> builds
/// every rank's descriptors, the host posts them to its NIC (paying
/// <see cref="OffloadNicOptions.PostNs"/> each), the NICs run the paper's trigger and reduction
/// rules (<see cref="SimulatedNic"/>) and exchange packets over the cluster's simulated network,
/// and each host sees its completions. Shares the cluster's engine, network and host CPUs, so
/// software and offload runs on one cluster are measured on the same machine model.
/// </summary>
public sealed class SimulatedOffload
{
    private readonly DescriptorBuilder _builder;
    private readonly SimulatedNic[] _nics;
    private readonly RankCall?[] _calls;
    private ulong _sequence;

    /// <summary>Creates an offload NIC on every node of <paramref name="cluster"/>.</summary>
    /// <param name="cluster">The simulated cluster.</param>
    /// <param name="shape">The tree the descriptors follow: binomial (the software's) or k-ary, fan-in 2..8.</param>
    /// <param name="options">NIC and host timing; null for the defaults.</param>
    public SimulatedOffload(SimulatedCluster cluster, TreeShape shape, OffloadNicOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        Options = options ?? new OffloadNicOptions();
        Options.Validate();
        Cluster = cluster;
        _builder = new DescriptorBuilder(cluster.Size, shape);
        int depth = Math.Max(1, _builder.MaxFanIn);
        _nics = [.. Enumerable.Range(0, cluster.Size).Select(node => new SimulatedNic(this, node, depth))];
        _calls = new RankCall?[cluster.Size];
    }

    /// <summary>The cluster the NICs sit in.</summary>
    public SimulatedCluster Cluster { get; }

    /// <summary>NIC and host timing.</summary>
    public OffloadNicOptions Options { get; }

    /// <summary>Reduces every rank's <paramref name="send"/> into <paramref name="root"/>'s receive buffer through the NICs.</summary>
    /// <typeparam name="T">An element type the NIC's ALU supports.</typeparam>
    /// <param name="send">Each rank's input, index = rank.</param>
    /// <param name="receive">Each rank's result buffer; only the root's is written.</param>
    /// <param name="op">The operation.</param>
    /// <param name="root">The root rank.</param>
    /// <returns>When each rank finished: non-roots once their descriptors are posted, the root when its result is in memory.</returns>
    /// <exception cref="NotSupportedException">The ALU does not run <paramref name="op"/> on <typeparamref name="T"/> (Prod; Half and BFloat16).</exception>
    public SimulationRun Reduce<T>(IReadOnlyList<ReadOnlyMemory<T>> send, IReadOnlyList<Memory<T>> receive, ReduceOp op, int root)
        where T : unmanaged
        => Run(CollectiveKind.Reduce, send, receive, op, root);

    /// <summary>Reduces every rank's <paramref name="send"/> into every rank's receive buffer through the NICs (reduce, then the root's NIC broadcasts).</summary>
    /// <typeparam name="T">An element type the NIC's ALU supports.</typeparam>
    /// <param name="send">Each rank's input, index = rank.</param>
    /// <param name="receive">Each rank's result buffer.</param>
    /// <param name="op">The operation.</param>
    /// <returns>When each rank had its result in memory.</returns>
    /// <exception cref="NotSupportedException">The ALU does not run <paramref name="op"/> on <typeparamref name="T"/> (Prod; Half and BFloat16).</exception>
    public SimulationRun Allreduce<T>(IReadOnlyList<ReadOnlyMemory<T>> send, IReadOnlyList<Memory<T>> receive, ReduceOp op)
        where T : unmanaged
        => Run(CollectiveKind.Allreduce, send, receive, op, 0);

    internal void Send(int node, in Descriptor packet, long readyAt)
    {
        Descriptor copy = packet;
        int wireBytes = packet.DataLength + (packet.HasLocation ? packet.Count * sizeof(int) : 0);
        SimulatedNic destination = _nics[packet.Destination];
        Cluster.Network.Send(node, packet.Destination, wireBytes, readyAt, () => destination.Arrived(copy));
    }

    internal void Complete(int node, in Descriptor put, long writtenAt)
    {
        RankCall call = _calls[node] ?? throw new InvalidOperationException($"Node {node}'s NIC completed a put with no call in progress.");
        call.Write(put);
        long visible = writtenAt + Cluster.Network.Options.NicReceiveNs;
        Cluster.Engine.At(visible, () =>
        {
            Cluster.Cpu(node).Run(visible, Options.CompletionNs);
            call.CompletionArrived();
        });
    }

    private SimulationRun Run<T>(CollectiveKind kind, IReadOnlyList<ReadOnlyMemory<T>> send, IReadOnlyList<Memory<T>> receive, ReduceOp op, int root)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(receive);
        if (send.Count != Cluster.Size || receive.Count != Cluster.Size)
        {
            throw new ArgumentException($"Give one send and one receive buffer per rank ({Cluster.Size}); got {send.Count} and {receive.Count}.", nameof(send));
        }

        DataType dataType = DataType.Of<T>() ?? throw new NotSupportedException($"Element type {typeof(T).Name} is not supported.");
        if (!AluOperations.Supports(op, dataType))
        {
            // Half and BFloat16, Prod, bitwise operations on floats: the ALU has no such operation.
            throw new NotSupportedException($"The NIC's ALU does not run {op} on {dataType}; run it in software on the cluster's communicators.");
        }

        int count = send[0].Length;
        if (send.Any(buffer => buffer.Length != count) || receive.Any(buffer => buffer.Length != count))
        {
            throw new ArgumentException($"Every send and receive buffer must hold {count} elements, as rank 0's send buffer does.", nameof(receive));
        }

        var request = new OffloadRequest(kind, op, dataType, count, root, ++_sequence);
        return Cluster.Run(rank => Start(rank, request, MemoryMarshal.AsBytes(send[rank].Span), put => DescriptorBuilder.WriteCompletion(request, put, MemoryMarshal.AsBytes(receive[rank].Span))));
    }

    /// <summary>A rank's host builds and posts its descriptors, then waits for its completions.</summary>
    private ValueTask Start(int rank, OffloadRequest request, ReadOnlySpan<byte> data, Action<Descriptor> write)
    {
        var descriptors = new List<Descriptor>();
        _builder.Build(rank, request, 0, data, descriptors);
        var call = new RankCall(write, descriptors.Count(descriptor => descriptor.Kind == DescriptorKind.Put));
        _calls[rank] = call;
        SimulatedNic nic = _nics[rank];
        foreach (Descriptor descriptor in descriptors)
        {
            long posted = Cluster.Cpu(rank).Run(Cluster.Engine.Now, Options.PostNs);
            Cluster.Engine.At(posted, () => nic.Posted(descriptor));
        }

        return call.Completion;
    }

    /// <summary>One rank's part of a call: where its completions go and how many it still waits for.</summary>
    private sealed class RankCall(Action<Descriptor> write, int completions)
    {
        private readonly TaskCompletionSource _done = new();
        private int _outstanding = completions;

        public ValueTask Completion => _outstanding == 0 ? ValueTask.CompletedTask : new ValueTask(_done.Task);

        public void Write(in Descriptor put) => write(put);

        public void CompletionArrived()
        {
            if (--_outstanding == 0)
            {
                _done.SetResult();
            }
        }
    }
}
