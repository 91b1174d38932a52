using Collectives.Tests.Support;

namespace Collectives.Tests.PointToPoint;

/// <summary>Send, Receive and SendReceive with tags, over every transport a test job can use.</summary>
[TestFixture(TestTransport.InProcess)]
[TestFixture(TestTransport.Tcp)]
[TestFixture(TestTransport.SharedMemory)]
public class PointToPointTests(TestTransport transport)
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(10_000)]
    public void A_message_arrives_whole_and_the_receive_returns_its_element_count(int count)
    {
        int[] sent = Sequence(count, seed: 3);
        int[] received = new int[count];
        int receivedCount = -1;

        Run(2, communicator =>
        {
            if (communicator.Rank == 0)
            {
                communicator.Send<int>(sent, destination: 1, tag: 5);
            }
            else
            {
                receivedCount = communicator.Receive<int>(received, source: 0, tag: 5);
            }
        });

        Assert.That((receivedCount, received), Is.EqualTo((count, sent)));
    }

    [Test]
    public void A_buffer_longer_than_the_message_takes_it_at_its_start_and_the_rest_is_left_alone()
    {
        double[] received = [-1, -1, -1, -1, -1];
        int receivedCount = -1;

        Run(2, communicator =>
        {
            if (communicator.Rank == 0)
            {
                communicator.Send<double>([1.5, 2.5], destination: 1, tag: 0);
            }
            else
            {
                receivedCount = communicator.Receive<double>(received, source: 0, tag: 0);
            }
        });

        Assert.That(receivedCount, Is.EqualTo(2));
        Assert.That(received, Is.EqualTo(new[] { 1.5, 2.5, -1, -1, -1 }));
    }

    [Test]
    public void Messages_with_different_tags_are_received_in_the_order_the_receiver_asks_for_them()
    {
        int[] first = new int[3];
        int[] second = new int[3];

        Run(2, communicator =>
        {
            if (communicator.Rank == 0)
            {
                communicator.Send<int>([1, 1, 1], destination: 1, tag: 1);
                communicator.Send<int>([2, 2, 2], destination: 1, tag: 2);
            }
            else
            {
                communicator.Receive<int>(second, source: 0, tag: 2);
                communicator.Receive<int>(first, source: 0, tag: 1);
            }
        });

        Assert.That((first, second), Is.EqualTo((new[] { 1, 1, 1 }, new[] { 2, 2, 2 })));
    }

    [Test]
    public void Messages_with_the_same_tag_are_received_in_the_order_they_were_sent()
    {
        var received = new List<int>();

        Run(2, communicator =>
        {
            if (communicator.Rank == 0)
            {
                for (int i = 0; i < 5; i++)
                {
                    communicator.Send<int>([i], destination: 1, tag: 9);
                }
            }
            else
            {
                int[] one = new int[1];
                for (int i = 0; i < 5; i++)
                {
                    communicator.Receive<int>(one, source: 0, tag: 9);
                    received.Add(one[0]);
                }
            }
        });

        Assert.That(received, Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
    }

    // Messages the transport can buffer (the test's shared-memory rings hold 4 KiB): a larger one
    // waits for its receive, as MPI_Send may, and this program would then deadlock under MPI too.
    [TestCase(4)]
    [TestCase(500)]
    public void A_message_sent_before_a_collective_is_received_after_it_and_the_collective_is_unharmed(int count)
    {
        int[] sent = Sequence(count, seed: 11);
        int[] received = new int[count];
        long[][] sums = new long[3][];

        Run(3, communicator =>
        {
            if (communicator.Rank == 0)
            {
                communicator.Send<int>(sent, destination: 2, tag: 4);
            }

            long[] sum = sums[communicator.Rank] = [communicator.Rank + 1, 10 * (communicator.Rank + 1)];
            communicator.Allreduce<long>(sum, ReduceOp.Sum, AllreduceAlgorithm.RecursiveDoubling);
            if (communicator.Rank == 2)
            {
                communicator.Receive<int>(received, source: 0, tag: 4);
            }
        });

        Assert.That(received, Is.EqualTo(sent));
        Assert.That(sums, Has.All.EqualTo(new long[] { 6, 60 }));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(5)]
    public void SendReceive_shifts_every_rank_s_block_one_rank_around_the_ring(int ranks)
    {
        int[][] received = new int[ranks][];

        Run(ranks, communicator =>
        {
            int rank = communicator.Rank;
            received[rank] = new int[4];
            int count = communicator.SendReceive<int>(
                Block(rank), destination: (rank + 1) % ranks, sendTag: 0,
                received[rank], source: (rank + ranks - 1) % ranks, receiveTag: 0);
            Assert.That(count, Is.EqualTo(4));
        });

        Assert.That(received, Is.EqualTo(Enumerable.Range(0, ranks).Select(rank => Block((rank + ranks - 1) % ranks)).ToArray()));
    }

    [Test]
    public async Task The_async_forms_exchange_messages_like_the_blocking_ones()
    {
        float[] received = new float[3];
        int receivedCount = -1;

        await LocalJob.RunAsync(2, null, async communicator =>
        {
            if (communicator.Rank == 0)
            {
                await communicator.SendAsync<float>(new float[] { 1, 2, 3 }, destination: 1, tag: 3);
                float[] back = new float[3];
                await communicator.SendReceiveAsync<float>(new float[] { 4, 5, 6 }, 1, 0, back, 1, 0);
            }
            else
            {
                receivedCount = await communicator.ReceiveAsync<float>(received, source: 0, tag: 3);
                float[] other = new float[3];
                await communicator.SendReceiveAsync<float>(received, 0, 0, other, 0, 0);
            }
        }, transport);

        Assert.That((receivedCount, received), Is.EqualTo((3, new float[] { 1, 2, 3 })));
    }

    [Test]
    public void A_rank_receives_what_it_sent_itself()
    {
        int[] received = new int[2];

        Run(1, communicator =>
        {
            communicator.Send<int>([7, 8], destination: 0, tag: 1);
            communicator.Receive<int>(received, source: 0, tag: 1);
        });

        Assert.That(received, Is.EqualTo(new[] { 7, 8 }));
    }

    [Test]
    public void Messages_with_the_same_peers_and_tag_on_a_parent_and_its_child_each_reach_their_own_receive()
    {
        int[] onParent = new int[1];
        int[] onChild = new int[1];

        Run(2, communicator =>
        {
            using Communicator child = communicator.Duplicate();
            if (communicator.Rank == 0)
            {
                child.Send<int>([2], destination: 1, tag: 1);
                communicator.Send<int>([1], destination: 1, tag: 1);
            }
            else
            {
                communicator.Receive<int>(onParent, source: 0, tag: 1);
                child.Receive<int>(onChild, source: 0, tag: 1);
            }
        });

        Assert.That((onParent[0], onChild[0]), Is.EqualTo((1, 2)));
    }

    [Test]
    public void A_child_s_ranks_address_each_other_by_their_ranks_in_the_child()
    {
        int[] received = new int[4];

        Run(4, communicator =>
        {
            // Ranks 1 and 3 form a child in which they are ranks 0 and 1.
            using Communicator? odd = communicator.Split(communicator.Rank % 2 == 1 ? 0 : Communicator.NoColor, key: 0);
            if (odd is not null)
            {
                int[] mine = [communicator.Rank];
                int[] theirs = new int[1];
                odd.SendReceive<int>(mine, 1 - odd.Rank, 0, theirs, 1 - odd.Rank, 0);
                received[communicator.Rank] = theirs[0];
            }
        });

        Assert.That(received, Is.EqualTo(new[] { 0, 3, 0, 1 }));
    }

    private void Run(int ranks, Action<Communicator> body) => LocalJob.Run(ranks, null, body, transport);

    private static int[] Block(int rank) => [rank, rank * 10, rank * 100, -rank];

    private static int[] Sequence(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => random.Next())];
    }
}
