using System.Runtime.InteropServices;

namespace Collectives.Tests.Correctness;

/// <summary>
/// The buffers one rank hands to a collective, kept so that the test can inspect them afterwards:
/// what the rank contributed, its send buffer, and its receive buffer (the same array when in place).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class RankBuffers<T>
    where T : unmanaged
{
    /// <summary>The byte every element of an untouched receive buffer consists of.</summary>
    public const byte SentinelByte = 0xA5;

    private RankBuffers(T[] input, T[] send, T[] receive)
    {
        Input = input;
        Send = send;
        Receive = receive;
    }

    /// <summary>The rank's contribution (a private copy the library never sees).</summary>
    public T[] Input { get; }

    /// <summary>The send buffer: the only buffer when in place.</summary>
    public T[] Send { get; }

    /// <summary>The receive buffer: <see cref="Send"/> itself when in place.</summary>
    public T[] Receive { get; }

    public bool InPlace => ReferenceEquals(Send, Receive);

    /// <summary>
    /// The buffers of <paramref name="rank"/> for <paramref name="testCase"/>. Out-of-place receive
    /// buffers start as sentinel bytes, so an element the library never wrote cannot pass for a
    /// result. A non-root rank's receive buffer of an out-of-place Reduce is documented as ignored
    /// and allowed to be empty: odd ranks pass an empty one, even ranks a full one, which must stay
    /// untouched.
    /// </summary>
    public static RankBuffers<T> Prepare(CollectiveCase testCase, int rank, T[] input)
    {
        if (testCase.Kind == CollectiveKind.Allgather)
        {
            return PrepareAllgather(testCase, rank, input);
        }

        if (testCase.Kind is CollectiveKind.Gather or CollectiveKind.Scatter)
        {
            return PrepareRooted(testCase, rank, input);
        }

        // An alltoall's input is one block per rank; out of place the receive buffer starts as sentinels.
        if (testCase.Kind == CollectiveKind.Alltoall)
        {
            T[] all = (T[])input.Clone();
            return new RankBuffers<T>((T[])input.Clone(), all, testCase.Placement == Placement.InPlace ? all : Sentinel(input.Length));
        }

        var send = (T[])input.Clone();
        if (testCase.Kind == CollectiveKind.ReduceScatter)
        {
            // In place, the one buffer holds every block and the result lands in this rank's.
            T[] result = testCase.Placement == Placement.InPlace ? send : Sentinel(testCase.Count);
            return new RankBuffers<T>((T[])input.Clone(), send, result);
        }

        bool inPlace = testCase.Kind == CollectiveKind.Broadcast || testCase.Placement == Placement.InPlace;
        T[] receive = inPlace ? send
            : testCase.Kind == CollectiveKind.Reduce && rank != testCase.Root && rank % 2 == 1 ? []
            : Sentinel(input.Length);
        return new RankBuffers<T>((T[])input.Clone(), send, receive);
    }

    /// <summary>
    /// An allgather's buffers: a receive buffer of sentinel blocks, one per rank. In place, this
    /// rank's block of it holds the input and is the send buffer too; out of place, the send buffer
    /// is a separate copy of the input.
    /// </summary>
    private static RankBuffers<T> PrepareAllgather(CollectiveCase testCase, int rank, T[] input)
    {
        T[] receive = Sentinel(input.Length * testCase.Ranks);
        if (testCase.Placement == Placement.InPlace)
        {
            input.CopyTo(receive, rank * input.Length);
            return new RankBuffers<T>((T[])input.Clone(), receive, receive);
        }

        return new RankBuffers<T>((T[])input.Clone(), (T[])input.Clone(), receive);
    }

    /// <summary>
    /// A gather's or scatter's buffers: the root's buffer of every block (a gather's starts as
    /// sentinel blocks; in place its own block holds the input), and the rank's one block. Out of
    /// place, a non-root rank's buffer of every block is ignored: odd ranks pass an empty one, even
    /// ranks a full one, which must stay untouched. In place, a non-root rank passes only its block.
    /// </summary>
    private static RankBuffers<T> PrepareRooted(CollectiveCase testCase, int rank, T[] input)
    {
        bool gather = testCase.Kind == CollectiveKind.Gather;
        bool isRoot = rank == testCase.Root;
        int all = testCase.Count * testCase.Ranks;
        if (testCase.Placement == Placement.InPlace)
        {
            T[] buffer = (gather, isRoot) switch
            {
                (true, true) => Sentinel(all),
                (true, false) => (T[])input.Clone(),
                (false, true) => (T[])input.Clone(),
                (false, false) => Sentinel(testCase.Count),
            };
            if (gather && isRoot)
            {
                input.CopyTo(buffer, rank * testCase.Count);
            }

            return new RankBuffers<T>((T[])input.Clone(), buffer, buffer);
        }

        T[] ignored = isRoot ? Sentinel(all) : rank % 2 == 1 ? [] : Sentinel(all);
        return gather
            ? new RankBuffers<T>((T[])input.Clone(), (T[])input.Clone(), ignored)
            : new RankBuffers<T>((T[])input.Clone(), isRoot || rank % 2 == 0 ? (T[])input.Clone() : [], Sentinel(testCase.Count));
    }

    public static T[] Sentinel(int count)
    {
        var values = new T[count];
        MemoryMarshal.AsBytes(values.AsSpan()).Fill(SentinelByte);
        return values;
    }
}
