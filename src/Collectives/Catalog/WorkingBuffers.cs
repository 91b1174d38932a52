using System.Runtime.CompilerServices;
using Collectives.Algorithms;
using Collectives.Execution;
using Collectives.Execution.Pooling;

namespace Collectives.Catalog;

/// <summary>An allreduce message algorithm: reduces every rank's <c>source</c> into every rank's <c>buffer</c> (the same memory, or not overlapping).</summary>
internal delegate ValueTask AllreduceRun(CollectiveContext context, ReadOnlyMemory<byte> source, Memory<byte> buffer);

/// <summary>A reduce or broadcast message algorithm, working in place on <c>buffer</c>.</summary>
internal delegate ValueTask RootedRun(CollectiveContext context, Memory<byte> buffer, int root);

/// <summary>An allgather message algorithm, working in place on <c>buffer</c>: the blocks laid out as <c>blocks</c> says, this rank's already at its place.</summary>
internal delegate ValueTask AllgatherRun(CollectiveContext context, BlockLayout blocks, Memory<byte> buffer);

/// <summary>A gather message algorithm: every rank's <c>own</c> block into the root's <c>receive</c>, laid out as <c>blocks</c> says (ignored elsewhere).</summary>
internal delegate ValueTask GatherRun(CollectiveContext context, BlockLayout blocks, ReadOnlyMemory<byte> own, Memory<byte> receive, int root);

/// <summary>A scatter message algorithm: the root's <c>send</c>, laid out as <c>blocks</c> says (ignored elsewhere), one block into every rank's <c>own</c>.</summary>
internal delegate ValueTask ScatterRun(CollectiveContext context, BlockLayout blocks, ReadOnlyMemory<byte> send, Memory<byte> own, int root);

/// <summary>An alltoall message algorithm: block j of <c>send</c> to rank j, rank i's block for this rank into block i of <c>receive</c> (never the same memory).</summary>
internal delegate ValueTask AlltoallRun(CollectiveContext context, BlockLayout sendBlocks, ReadOnlyMemory<byte> send, BlockLayout receiveBlocks, Memory<byte> receive);

/// <summary>
/// A reduce-scatter message algorithm: reduces every rank's <c>source</c> (the blocks laid out as
/// <c>blocks</c> says) and writes this rank's block of the result into <c>result</c>, which is
/// either apart from <c>source</c> or exactly this rank's block of it; <c>source</c> is only read.
/// </summary>
internal delegate ValueTask ReduceScatterRun(CollectiveContext context, BlockLayout blocks, ReadOnlyMemory<byte> source, Memory<byte> result);

/// <summary>
/// What every message algorithm of a collective needs before it runs: the buffer it works in
/// (copying the send buffer in where the algorithm works in place, never writing the caller's send
/// buffer), and the one-rank normalisation of logical results. Written once per collective, so the
/// algorithms only move and combine data.
/// </summary>
internal static class WorkingBuffers
{
    /// <summary>Runs an allreduce algorithm reading this rank's vector from <see cref="Contribution"/>.</summary>
    public static ValueTask AllreduceAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive, AllreduceRun run)
    {
        ReadOnlyMemory<byte> contribution = Contribution(context, send, receive);
        NormalizeIfAlone(context, call, receive.Span);
        return run(context, contribution, receive);
    }

    /// <summary>Runs a reduce algorithm; non-root ranks reduce into a pooled copy so that their send buffer is never modified.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask ReduceAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive, RootedRun run)
    {
        bool isRoot = context.Rank == call.Root;
        using ScratchBuffer scratch = isRoot ? default : context.RentScratch(send.Length);
        Memory<byte> work = isRoot ? receive : scratch.Memory;
        CopyUnlessSame(send, work);
        NormalizeIfAlone(context, call, work.Span);
        await run(context, work, call.Root).ConfigureAwait(false);
    }

    /// <summary>Runs an allgather algorithm on the receive buffer, after placing this rank's block in it.</summary>
    public static ValueTask AllgatherAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive, AllgatherRun run)
    {
        BlockLayout blocks = AllgatherBlocks(call, send.Length, context.Size);
        PlaceOwnBlock(send.Span, receive.Span, blocks, context.Rank);
        return run(context, blocks, receive);
    }

    /// <summary>Runs a gather algorithm: the send buffer is this rank's block, the root's receive buffer holds every block.</summary>
    public static ValueTask GatherAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive, GatherRun run)
        => run(context, AllgatherBlocks(call, send.Length, context.Size), send, receive, call.Root);

    /// <summary>Runs a scatter algorithm: the root's send buffer holds every block, the receive buffer is this rank's.</summary>
    public static ValueTask ScatterAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive, ScatterRun run)
        => run(context, AllgatherBlocks(call, receive.Length, context.Size), send, receive, call.Root);

    /// <summary>
    /// Runs an alltoall algorithm. In place (the send buffer overlapping the receive buffer) the
    /// send blocks are first copied aside, since the algorithms write received blocks before they
    /// have sent every block.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskMethodBuilder))]
    public static async ValueTask AlltoallAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive, AlltoallRun run)
    {
        (BlockLayout sendBlocks, BlockLayout receiveBlocks) = AlltoallBlocks(call, send.Length, receive.Length, context.Size);
        bool overlaps = send.Span.Overlaps(receive.Span);
        using ScratchBuffer copy = overlaps ? context.RentScratch(send.Length) : default;
        if (overlaps)
        {
            send.CopyTo(copy.Memory);
        }

        await run(context, sendBlocks, overlaps ? copy.Memory : send, receiveBlocks, receive).ConfigureAwait(false);
    }

    /// <summary>Where the send and receive blocks lie: the call's per-pair counts (AlltoallV), else p equal blocks of each buffer.</summary>
    public static (BlockLayout Send, BlockLayout Receive) AlltoallBlocks(in CollectiveCall call, int sendBytes, int receiveBytes, int size)
        => call.SendBlocks is { } sent && call.Blocks is { } received
            ? (BlockLayout.Variable(sent.Elements, call.ElementSize), BlockLayout.Variable(received.Elements, call.ElementSize))
            : (BlockLayout.Equal(sendBytes / size, size), BlockLayout.Equal(receiveBytes / size, size));

    /// <summary>Where each rank's block lies: the call's per-rank counts (AllgatherV, GatherV, ScatterV), else p blocks of one rank's block length.</summary>
    public static BlockLayout AllgatherBlocks(in CollectiveCall call, int blockBytes, int size)
        => call.Blocks is { } offsets ? BlockLayout.Variable(offsets.Elements, call.ElementSize) : BlockLayout.Equal(blockBytes, size);

    /// <summary>
    /// Copies this rank's block (<paramref name="send"/>) to its place in <paramref name="receive"/>,
    /// unless it is already there (the in-place form), and returns <paramref name="receive"/>, in
    /// which every allgather algorithm then works. A send buffer overlapping the receive buffer
    /// elsewhere is moved as by memmove, before anything else is written.
    /// </summary>
    public static Span<byte> PlaceOwnBlock(ReadOnlySpan<byte> send, Span<byte> receive, BlockLayout blocks, int rank)
    {
        CopyUnlessSame(send, receive[blocks.Of(rank)]);
        return receive;
    }

    /// <summary>Runs a reduce-scatter algorithm; one rank alone only copies (and normalizes) its own block.</summary>
    public static ValueTask ReduceScatterAsync(CollectiveContext context, CollectiveCall call, Memory<byte> send, Memory<byte> receive, ReduceScatterRun run)
    {
        if (context.Size == 1)
        {
            CopyUnlessSame(send, receive);
            NormalizeIfAlone(context, call, receive.Span);
            return ValueTask.CompletedTask;
        }

        return run(context, ReduceScatterBlocks(call, receive.Length, context.Size), send, receive);
    }

    /// <summary>
    /// Where each rank's block lies in a reduce-scatter's send buffer: the layout of an allgather's
    /// receive buffer, p blocks of the receive buffer's length or the call's per-rank counts (ReduceScatterV).
    /// </summary>
    public static BlockLayout ReduceScatterBlocks(in CollectiveCall call, int receiveBytes, int size) => AllgatherBlocks(call, receiveBytes, size);

    // With one rank nothing is combined, yet logical operations must still yield 1 or 0.
    private static void NormalizeIfAlone(CollectiveContext context, CollectiveCall call, Span<byte> result)
    {
        if (context.Size == 1)
        {
            call.Kernel?.Normalize(result);
        }
    }

    /// <summary>
    /// Where an Allreduce reads this rank's vector: a separate send buffer as it is (the
    /// algorithms' first combine writes into the receive buffer, so copying the whole vector first
    /// would only add a pass over memory: 4 MiB is ~0.3 ms here), otherwise the receive buffer,
    /// after copying the send buffer in when the two partly overlap.
    /// </summary>
    private static ReadOnlyMemory<byte> Contribution(CollectiveContext context, Memory<byte> send, Memory<byte> receive)
    {
        if (context.Size > 1 && !send.Span.Overlaps(receive.Span))
        {
            return send;
        }

        CopyUnlessSame(send, receive);
        return receive;
    }

    private static void CopyUnlessSame(Memory<byte> source, Memory<byte> destination) => CopyUnlessSame(source.Span, destination.Span);

    private static void CopyUnlessSame(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (!source.Overlaps(destination, out int offset) || offset != 0)
        {
            source.CopyTo(destination);
        }
    }
}
