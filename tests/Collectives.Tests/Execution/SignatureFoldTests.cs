using Collectives.Transport;
using Collectives.Transport.InProcess;

namespace Collectives.Tests.Execution;

/// <summary>
/// Call verification by signatures sent ahead of the data (up to eight ranks, no shared windows):
/// a rank whose first message to a peer is data it sends at once lets that message carry the
/// signature instead of sending an empty one before it, when the call's messages are small. So a
/// small broadcast's root sends its children their data and nothing else, and a small reduce's
/// leaves likewise; the other ranks still send every peer their signature. Larger calls keep the
/// separate signature message (one frame more is nothing next to their data).
/// </summary>
public class SignatureFoldTests
{
    /// <summary>Ints in a call above the fold limit (32 KiB).</summary>
    private const int Large = 8192;

    [TestCase(2, 4, new[] { 1, 1 })]
    [TestCase(4, 4, new[] { 3, 3, 4, 3 })]
    [TestCase(2, Large, new[] { 2, 1 })]
    public void A_broadcast_root_sends_its_children_only_their_data_when_the_call_is_small(int size, int count, int[] expectedSends)
    {
        // Rank 0, the root: data to each child (with 4 ranks, 2 and 1) and a signature to the others;
        // every other rank a signature to every peer, and inner rank 2 its data to child 3.
        int[][] buffers = Run(size, (communicator, buffer) => communicator.Broadcast(buffer.AsSpan(), root: 0, BroadcastAlgorithm.BinomialTree), count, out int[] sends);

        Assert.That(sends, Is.EqualTo(expectedSends));
        Assert.That(buffers, Has.All.EqualTo(Contribution(0, count)));
    }

    [TestCase(2, 4, new[] { 1, 1 })]
    [TestCase(4, 4, new[] { 3, 3, 4, 3 })]
    [TestCase(2, Large, new[] { 1, 2 })]
    public void A_reduce_leaf_sends_its_parent_only_its_data_when_the_call_is_small(int size, int count, int[] expectedSends)
    {
        // With 4 ranks and root 0 the leaves are 1 and 3; inner rank 2 sends a signature to each peer and its data to 0.
        int[][] buffers = Run(size, (communicator, buffer) => communicator.Reduce(buffer.AsSpan(), ReduceOp.Sum, root: 0, ReduceAlgorithm.BinomialTree), count, out int[] sends);

        Assert.That(sends, Is.EqualTo(expectedSends));
        int[] sum = Enumerable.Range(0, count).Select(i => Enumerable.Range(0, size).Sum(rank => Contribution(rank, count)[i])).ToArray();
        Assert.That(buffers[0], Is.EqualTo(sum));
    }

    [Test]
    public void A_linear_gather_leaves_the_root_only_signatures_to_send_when_the_call_is_small()
    {
        // Every other rank sends the root its block only, and each other peer a signature.
        int[] gathered = new int[3 * 4];
        Run(3, (communicator, buffer) => communicator.Gather<int>(buffer, communicator.Rank == 0 ? gathered : new int[3 * 4], root: 0, GatherAlgorithm.Linear), 4, out int[] sends);

        Assert.That(sends, Is.EqualTo(new[] { 2, 2, 2 }));
        Assert.That(gathered, Is.EqualTo(Enumerable.Range(0, 3).SelectMany(rank => Contribution(rank, 4))));
    }

    /// <summary>Rank r's buffer before the call: r * 1000 + i.</summary>
    private static int[] Contribution(int rank, int count) => Enumerable.Range(0, count).Select(i => (rank * 1000) + i).ToArray();

    /// <summary>Runs one call on each rank of an in-process job and returns every rank's buffer after it, and how many messages each rank sent.</summary>
    private static int[][] Run(int size, Action<Communicator, int[]> call, int count, out int[] sends)
    {
        CountingTransport[] transports = [.. InProcessTransport.CreateGroup(size).Select(transport => new CountingTransport(transport))];
        Communicator[] ranks = [.. transports.Select(transport => Communicator.Create(transport, new CommunicatorOptions { Timeout = TimeSpan.FromSeconds(10) }))];
        try
        {
            int[][] buffers = [.. Enumerable.Range(0, size).Select(rank => Contribution(rank, count))];
            Task.WaitAll([.. Enumerable.Range(0, size).Select(rank => Task.Factory.StartNew(() => call(ranks[rank], buffers[rank]), TaskCreationOptions.LongRunning))]);
            sends = [.. transports.Select(transport => transport.Sends)];
            return buffers;
        }
        finally
        {
            foreach (Communicator rank in ranks)
            {
                rank.Dispose();
            }
        }
    }

    /// <summary>An in-process transport that counts the messages its rank sends.</summary>
    private sealed class CountingTransport(ITransport inner) : ITransport
    {
        private int _sends;

        public int Sends => Volatile.Read(ref _sends);

        public int Rank => inner.Rank;

        public int Size => inner.Size;

        public string Name => inner.Name;

        public ValueTask SendAsync(int destination, MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sends);
            return inner.SendAsync(destination, tag, payload, cancellationToken);
        }

        public ValueTask<ReceivedMessage> ReceiveAsync(int source, MessageTag expectedTag, Memory<byte> buffer, CancellationToken cancellationToken)
            => inner.ReceiveAsync(source, expectedTag, buffer, cancellationToken);

        public void Abort(ReadOnlySpan<byte> reason) => inner.Abort(reason);

        public TFeature? GetFeature<TFeature>() where TFeature : class => inner.GetFeature<TFeature>();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
