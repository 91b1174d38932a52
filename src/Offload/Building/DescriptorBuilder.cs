using Collectives.Offload.Descriptors;
using Collectives.Reduction;
using Collectives.Topology;

namespace Collectives.Offload.Building;

/// <summary>
/// Turns a collective call into each node's descriptor list, following a tree from
/// <see cref="Tree"/> so that the NIC runs exactly the tree the software would.
/// </summary>
/// <remarks>
/// <para>Every chunk of at most <see cref="Descriptor.MaxDataBytes"/> bytes of values has its own
/// virtual port (the first port plus the chunk number), so a payload over 48 bytes becomes a chain
/// of descriptors that move up the tree one behind the other (pipelined). Per chunk and node:</para>
/// <list type="bullet">
/// <item>Reduce, Allreduce, Barrier: a reduce descriptor with CPCnt = number of children, sent to the
/// parent with the parent's fan-in as branch and its place in the software's combine order as slot
/// (the root sends to itself with branch 1). Leaves (CPCnt 0) fire at once.</item>
/// <item>Allreduce, Barrier: broadcast descriptors to every child (largest subtree first) and a put,
/// all with CPCnt = children + 1: they fire when the result reaches the node.</item>
/// <item>Reduce: a put at the root only. Broadcast: the root's data goes into a reduce descriptor
/// to itself; every node has broadcast descriptors to its children and a put, with CPCnt 1.</item>
/// </list>
/// <para>Barrier is an Allreduce of nothing. Broadcast moves raw 32-bit words (every element type is
/// a whole number of them). MinLoc/MaxLoc values travel in the data field and their indices in the
/// location field.</para>
/// </remarks>
internal sealed class DescriptorBuilder
{
    private readonly int[] _nodes;
    private readonly Tree?[] _trees;

    /// <summary>Creates a builder for a communicator.</summary>
    /// <param name="size">Number of ranks, at least 1.</param>
    /// <param name="shape">The tree shape every call follows.</param>
    /// <param name="rankToNode">The physical node of every rank (distinct, non-negative); empty for node = rank.</param>
    public DescriptorBuilder(int size, TreeShape shape, ReadOnlySpan<int> rankToNode = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (!rankToNode.IsEmpty && rankToNode.Length != size)
        {
            throw new ArgumentException($"The rank-to-node map has {rankToNode.Length} entries for {size} ranks.", nameof(rankToNode));
        }

        _nodes = rankToNode.IsEmpty ? [.. Enumerable.Range(0, size)] : rankToNode.ToArray();
        if (_nodes.Any(node => node < 0) || _nodes.Distinct().Count() != size)
        {
            throw new ArgumentException("The rank-to-node map must give every rank its own non-negative node.", nameof(rankToNode));
        }

        _trees = new Tree?[size];
        Size = size;
        Shape = shape;
    }

    /// <summary>Number of ranks.</summary>
    public int Size { get; }

    /// <summary>The tree shape.</summary>
    public TreeShape Shape { get; }

    /// <summary>The largest number of children any node has in any of this builder's trees: the receive-queue depth a NIC needs.</summary>
    public int MaxFanIn => Size == 1 ? 0 : Shape.IsBinomial ? 32 - int.LeadingZeroCount(Size - 1) : Math.Min(Shape.Arity, Size - 1);

    /// <summary>The node of <paramref name="rank"/>.</summary>
    /// <param name="rank">A rank.</param>
    /// <returns>Its node.</returns>
    public int NodeOf(int rank) => _nodes[rank];

    /// <summary>The tree calls rooted at <paramref name="root"/> follow (built once per root).</summary>
    /// <param name="root">The root rank.</param>
    /// <returns>The tree, over ranks.</returns>
    public Tree TreeFor(int root) => _trees[root] ??= Shape.Build(Size, root);

    /// <summary>Elements one descriptor carries for a call on <paramref name="dataType"/>.</summary>
    /// <param name="kind">The collective.</param>
    /// <param name="dataType">The host element type; null for Barrier.</param>
    /// <returns>Elements per chunk (host elements; for Broadcast, 32-bit words).</returns>
    public static int ElementsPerChunk(CollectiveKind kind, DataType? dataType)
        => kind == CollectiveKind.Broadcast || dataType is null ? Descriptor.MaxElements : Descriptor.MaxDataBytes / dataType.Value.PrimitiveSize;

    /// <summary>Number of chunks (descriptor chains' length, and ports) a call takes; at least 1.</summary>
    /// <param name="request">The call.</param>
    /// <returns>The chunk count.</returns>
    public static int ChunkCount(in OffloadRequest request)
    {
        int units = request.Kind == CollectiveKind.Broadcast ? request.Bytes / sizeof(uint) : request.Kind == CollectiveKind.Barrier ? 0 : request.Count;
        int perChunk = ElementsPerChunk(request.Kind, request.DataType);
        return Math.Max(1, (units + perChunk - 1) / perChunk);
    }

    /// <summary>
    /// Appends <paramref name="rank"/>'s descriptors for a call to <paramref name="output"/>, in the
    /// order to post them (chunk by chunk).
    /// </summary>
    /// <param name="rank">The rank whose list is built.</param>
    /// <param name="request">The call.</param>
    /// <param name="firstPort">The virtual port of chunk 0; chunk c uses firstPort + c.</param>
    /// <param name="data">This rank's input in host layout (count x element size bytes); read on the root only for Broadcast, ignored for Barrier.</param>
    /// <param name="output">Receives the descriptors.</param>
    /// <returns>How many descriptors were appended.</returns>
    public int Build(int rank, in OffloadRequest request, ushort firstPort, ReadOnlySpan<byte> data, List<Descriptor> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Validate(rank, request, firstPort, data);
        int before = output.Count;
        Tree tree = TreeFor(request.Kind is CollectiveKind.Reduce or CollectiveKind.Broadcast ? request.Root : 0);
        var chunks = new ChunkPlan(request);
        for (int chunk = 0; chunk < chunks.Count; chunk++)
        {
            var port = (ushort)(firstPort + chunk);
            if (request.Kind == CollectiveKind.Broadcast)
            {
                BuildBroadcastChunk(rank, request, tree, chunks, chunk, port, data, output);
            }
            else
            {
                BuildReductionChunk(rank, request, tree, chunks, chunk, port, data, output);
            }
        }

        return output.Count - before;
    }

    /// <summary>
    /// Appends the peers whose packets <paramref name="rank"/>'s NIC receives during a call, with
    /// their packet counts: children's reduce packets, the parent's broadcast packets.
    /// </summary>
    /// <param name="rank">The receiving rank.</param>
    /// <param name="request">The call.</param>
    /// <param name="output">Receives one entry per sending peer.</param>
    public void AddInbound(int rank, in OffloadRequest request, List<InboundStream> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Tree tree = TreeFor(request.Kind is CollectiveKind.Reduce or CollectiveKind.Broadcast ? request.Root : 0);
        int packets = ChunkCount(request);
        if (request.Kind != CollectiveKind.Broadcast)
        {
            foreach (int child in tree.Children(rank))
            {
                output.Add(new InboundStream(child, packets));
            }
        }

        if (request.Kind != CollectiveKind.Reduce && tree.Parent(rank) >= 0)
        {
            output.Add(new InboundStream(tree.Parent(rank), packets));
        }
    }

    /// <summary>
    /// The completion write: copies a fired put descriptor's data (values, and indices for
    /// MinLoc/MaxLoc) into the host buffer at its completion slot, in host layout.
    /// </summary>
    /// <param name="request">The call the put belongs to.</param>
    /// <param name="put">A put descriptor the NIC completed.</param>
    /// <param name="host">The rank's result buffer (count x element size bytes).</param>
    public static void WriteCompletion(in OffloadRequest request, in Descriptor put, Span<byte> host)
        => new ChunkPlan(request).CopyOut(put, host);

    private void BuildReductionChunk(int rank, in OffloadRequest request, Tree tree, in ChunkPlan chunks, int chunk, ushort port, ReadOnlySpan<byte> data, List<Descriptor> output)
    {
        int parent = tree.Parent(rank);
        int children = tree.Children(rank).Length;
        Descriptor reduce = chunks.Template(request, chunk, port, NodeOf(rank));
        reduce.Kind = DescriptorKind.Reduce;
        reduce.Flags = DescriptorFlags.Queue;
        reduce.CpCnt = (ushort)children;
        if (parent >= 0)
        {
            ReadOnlySpan<int> siblings = tree.Children(parent);
            reduce.Destination = NodeOf(parent);
            reduce.Branch = (byte)siblings.Length;

            // The software combines the last-listed child first (BinomialTreeReduce), so slot 0 is the last child.
            reduce.Slot = (byte)(siblings.Length - 1 - siblings.IndexOf(rank));
        }
        else
        {
            reduce.Branch = 1;
        }

        chunks.CopyIn(request, chunk, data, ref reduce);
        output.Add(reduce);
        if (request.Kind == CollectiveKind.Reduce && parent >= 0)
        {
            return;
        }

        var resultThreshold = (ushort)(children + 1);
        if (request.Kind != CollectiveKind.Reduce)
        {
            AddBroadcasts(rank, request, tree, chunks, chunk, port, resultThreshold, output);
        }

        AddPut(rank, request, chunks, chunk, port, resultThreshold, output);
    }

    private void BuildBroadcastChunk(int rank, in OffloadRequest request, Tree tree, in ChunkPlan chunks, int chunk, ushort port, ReadOnlySpan<byte> data, List<Descriptor> output)
    {
        if (rank == request.Root)
        {
            Descriptor origin = chunks.Template(request, chunk, port, NodeOf(rank));
            origin.Kind = DescriptorKind.Reduce;
            origin.Flags = DescriptorFlags.Queue;
            origin.Branch = 1;
            chunks.CopyIn(request, chunk, data, ref origin);
            output.Add(origin);
        }

        AddBroadcasts(rank, request, tree, chunks, chunk, port, 1, output);
        AddPut(rank, request, chunks, chunk, port, 1, output);
    }

    private void AddBroadcasts(int rank, in OffloadRequest request, Tree tree, in ChunkPlan chunks, int chunk, ushort port, ushort threshold, List<Descriptor> output)
    {
        foreach (int child in tree.Children(rank))
        {
            Descriptor broadcast = chunks.Template(request, chunk, port, NodeOf(rank));
            broadcast.Kind = DescriptorKind.Broadcast;
            broadcast.Flags = DescriptorFlags.Swap | DescriptorFlags.Queue;
            broadcast.Destination = NodeOf(child);
            broadcast.Branch = 1;
            broadcast.CpCnt = threshold;
            output.Add(broadcast);
        }
    }

    private void AddPut(int rank, in OffloadRequest request, in ChunkPlan chunks, int chunk, ushort port, ushort threshold, List<Descriptor> output)
    {
        Descriptor put = chunks.Template(request, chunk, port, NodeOf(rank));
        put.Kind = DescriptorKind.Put;
        put.Flags = DescriptorFlags.Swap;
        put.CpCnt = threshold;
        put.CompletionSlot = (uint)(chunk * chunks.PerChunk);
        output.Add(put);
    }

    private void Validate(int rank, in OffloadRequest request, ushort firstPort, ReadOnlySpan<byte> data)
    {
        if ((uint)rank >= (uint)Size)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Rank must be in [0, {Size}).");
        }

        if (request.Kind is CollectiveKind.Reduce or CollectiveKind.Broadcast && (uint)request.Root >= (uint)Size)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Root, $"Root must be a rank in [0, {Size}).");
        }

        if (request.Kind is CollectiveKind.Reduce or CollectiveKind.Allreduce
            && (request.DataType is not { } type || !Nic.AluOperations.Supports(request.Op, type)))
        {
            throw new NotSupportedException($"The NIC's ALU has no {request.Op} on {request.DataType?.ToString() ?? "no type"}.");
        }

        if (request.Kind == CollectiveKind.Broadcast && request.Bytes % sizeof(uint) != 0)
        {
            throw new ArgumentException($"Broadcast moves 32-bit words; {request.Bytes} bytes is not a whole number of them.", nameof(request));
        }

        if (firstPort + ChunkCount(request) > ushort.MaxValue + 1)
        {
            throw new ArgumentOutOfRangeException(nameof(firstPort), firstPort, $"{ChunkCount(request)} chunks starting at port {firstPort} run past the last virtual port.");
        }

        bool needsData = request.Kind is CollectiveKind.Reduce or CollectiveKind.Allreduce || (request.Kind == CollectiveKind.Broadcast && rank == request.Root);
        if (needsData && data.Length != request.Bytes)
        {
            throw new ArgumentException($"The data has {data.Length} bytes; the call moves {request.Bytes}.", nameof(data));
        }
    }
}
