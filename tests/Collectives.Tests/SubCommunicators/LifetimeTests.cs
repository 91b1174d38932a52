using System.Collections.Concurrent;
using Collectives.Tests.Support;
using Collectives.Transport;
using Collectives.Transport.InProcess;

namespace Collectives.Tests.SubCommunicators;

/// <summary>
/// A sub-communicator and its parent share the job's transport, which closes only when the last
/// communicator over it is disposed: disposing a parent keeps its children working, and disposing
/// a child leaves its parent as it was.
/// </summary>
public class LifetimeTests
{
    private static readonly CommunicatorOptions Options = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Test]
    public void A_child_keeps_working_after_its_parent_is_disposed([Values] TestTransport transport)
    {
        var sums = new ConcurrentDictionary<int, int>();
        var afterDispose = new ConcurrentDictionary<int, Exception>();

        LocalJob.Run(4, Options, parent =>
        {
            using Communicator child = parent.Split(parent.Rank / 2, key: 0)!;
            parent.Dispose();
            afterDispose[parent.Rank] = Assert.Catch(() => parent.Barrier());

            int[] data = [parent.Rank];
            child.Allreduce(data.AsSpan(), ReduceOp.Sum);
            sums[parent.Rank] = data[0];
        }, transport);

        Assert.Multiple(() =>
        {
            Assert.That(sums, Is.EquivalentTo(new Dictionary<int, int> { [0] = 1, [1] = 1, [2] = 5, [3] = 5 }));
            Assert.That(afterDispose.Values, Has.All.InstanceOf<ObjectDisposedException>());
        });
    }

    [Test]
    public void A_parent_keeps_working_after_its_children_are_disposed([Values] TestTransport transport)
    {
        var sums = new ConcurrentDictionary<int, int>();
        var afterDispose = new ConcurrentDictionary<int, Exception>();

        LocalJob.Run(3, Options, parent =>
        {
            Communicator child = parent.Duplicate();
            Communicator? grandchild = child.Split(child.Rank == 0 ? Communicator.NoColor : 0, key: 0);
            grandchild?.Barrier();
            grandchild?.Dispose();
            child.Barrier();
            child.Dispose();
            afterDispose[parent.Rank] = Assert.Catch(() => child.Barrier());

            int[] data = [parent.Rank + 1];
            parent.Allreduce(data.AsSpan(), ReduceOp.Sum);
            sums[parent.Rank] = data[0];
        }, transport);

        Assert.Multiple(() =>
        {
            Assert.That(sums.Values, Is.All.EqualTo(6));
            Assert.That(afterDispose.Values, Has.All.InstanceOf<ObjectDisposedException>());
        });
    }

    [Test]
    public async Task The_transport_closes_when_the_last_communicator_over_it_is_disposed_whatever_the_order(
        [Values("parent, child, grandchild", "grandchild, parent, child", "child, grandchild, parent")] string order)
    {
        ClosingCountedTransport[] transports = [.. InProcessTransport.CreateGroup(2).Select(transport => new ClosingCountedTransport(transport))];
        var closedBeforeLast = new int[2];
        await Task.WhenAll(transports.Select(transport => Task.Run(async () =>
        {
            Communicator parent = Communicator.Create(transport, Options);
            Communicator child = await parent.DuplicateAsync();
            Communicator grandchild = (await child.SplitAsync(0, key: 0))!;
            var byName = new Dictionary<string, Communicator> { ["parent"] = parent, ["child"] = child, ["grandchild"] = grandchild };
            Communicator[] sequence = [.. order.Split(", ").Select(name => byName[name])];

            await sequence[0].DisposeAsync();
            await sequence[1].DisposeAsync();
            closedBeforeLast[transport.Rank] = transport.Closed;
            await sequence[2].DisposeAsync();
        })));

        Assert.Multiple(() =>
        {
            Assert.That(closedBeforeLast, Is.All.Zero, "closes before the last communicator is disposed");
            Assert.That(transports.Select(transport => transport.Closed), Is.All.EqualTo(1), "closes in all");
        });
    }

    [Test]
    public void A_disposed_communicator_cannot_be_split()
    {
        Communicator[] ranks = Communicator.CreateLocal(1, Options);
        ranks[0].Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(() => ranks[0].Split(0, 0), Throws.InstanceOf<ObjectDisposedException>());
            Assert.That(() => ranks[0].Duplicate(), Throws.InstanceOf<ObjectDisposedException>());
        });
    }

    /// <summary>An in-process transport that counts how often it was closed.</summary>
    private sealed class ClosingCountedTransport(ITransport inner) : ITransport
    {
        private int _closed;

        public int Closed => Volatile.Read(ref _closed);

        public int Rank => inner.Rank;

        public int Size => inner.Size;

        public string Name => inner.Name;

        public ValueTask SendAsync(int destination, MessageTag tag, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
            => inner.SendAsync(destination, tag, payload, cancellationToken);

        public ValueTask<ReceivedMessage> ReceiveAsync(int source, MessageTag expectedTag, Memory<byte> buffer, CancellationToken cancellationToken)
            => inner.ReceiveAsync(source, expectedTag, buffer, cancellationToken);

        public void Abort(ReadOnlySpan<byte> reason) => inner.Abort(reason);

        public TFeature? GetFeature<TFeature>() where TFeature : class => inner.GetFeature<TFeature>();

        public ValueTask DisposeAsync()
        {
            Interlocked.Increment(ref _closed);
            return inner.DisposeAsync();
        }
    }
}
