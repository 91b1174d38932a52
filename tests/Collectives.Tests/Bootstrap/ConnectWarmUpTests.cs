using System.Globalization;
using Collectives.Bootstrap;
using Collectives.Tests.Shared.Network;

namespace Collectives.Tests.Bootstrap;

/// <summary>
/// ConnectAsync ends with warm-up collectives (<see cref="ConnectWarmUp"/>) on every rank: the
/// calls after it still line up across ranks, give the right results, and a mismatch in the
/// program's first call is reported as a mismatch of that call.
/// </summary>
[CancelAfter(60_000)]
public class ConnectWarmUpTests
{
    private const int Size = 3;

    /// <summary>The sequence number of the program's first call: the connect barrier and the warm-up come before it.</summary>
    private const ulong FirstProgramCall = 1 + ConnectWarmUp.CallCount + 1;

    [TestCase("tcp")]
    [TestCase("shm")]
    public async Task After_connecting_the_ranks_first_calls_match_and_give_the_right_results(string transport)
    {
        Communicator[] ranks = await ConnectAsync(transport);
        try
        {
            await Task.WhenAll(ranks.Select(comm => Task.Run(async () =>
            {
                float[] sum = [comm.Rank + 1, 10 * (comm.Rank + 1)];
                await comm.AllreduceAsync<float>(sum, ReduceOp.Sum);
                Assert.That(sum, Is.EqualTo(new float[] { 6, 60 }));

                double[] value = [comm.Rank == 0 ? 42 : 0];
                comm.Broadcast<double>(value, root: 0);
                Assert.That(value[0], Is.EqualTo(42));
            })));
        }
        finally
        {
            await DisposeAsync(ranks);
        }
    }

    [TestCase("tcp")]
    [TestCase("shm")]
    public async Task A_mismatch_in_the_first_call_after_connecting_is_reported_as_that_call_on_every_rank(string transport)
    {
        Communicator[] ranks = await ConnectAsync(transport);
        try
        {
            Exception?[] failures = await Task.WhenAll(ranks.Select(comm => Task.Run(async () =>
            {
                // Rank 0 reduces one element, the others two.
                float[] data = new float[comm.Rank == 0 ? 1 : 2];
                try
                {
                    await comm.AllreduceAsync<float>(data, ReduceOp.Sum);
                    return null;
                }
                catch (Exception exception)
                {
                    return exception;
                }
            })));

            Assert.That(failures, Has.All.InstanceOf<CollectiveMismatchException>());
            foreach (CollectiveMismatchException mismatch in failures.Cast<CollectiveMismatchException>())
            {
                Assert.That(mismatch.Local.Sequence, Is.EqualTo(FirstProgramCall));
                Assert.That(mismatch.Remote.Sequence, Is.EqualTo(FirstProgramCall));
                Assert.That(mismatch.Local.Count, Is.Not.EqualTo(mismatch.Remote.Count));
            }
        }
        finally
        {
            await DisposeAsync(ranks);
        }
    }

    [Test]
    public async Task After_connecting_each_rank_keeps_scratch_of_two_default_segments()
    {
        // What a multi-MiB halving or ring reduction receives through, faulted in at connect.
        Communicator[] ranks = await ConnectAsync("tcp");
        try
        {
            Assert.That(ranks.Select(comm => comm.Scratch.LongestKept), Has.All.GreaterThanOrEqualTo(2 * CommunicatorOptions.DefaultSegmentSize));
        }
        finally
        {
            await DisposeAsync(ranks);
        }
    }

    /// <summary>A job of <see cref="Size"/> ranks in this process, under torchrun's variables (rank 0 hosts the rendezvous).</summary>
    private static async Task<Communicator[]> ConnectAsync(string transport)
    {
        string port = TestPorts.Free().ToString(CultureInfo.InvariantCulture);
        string job = $"warm-up-{Guid.NewGuid():N}";
        LaunchInfo[] launches = [.. Enumerable.Range(0, Size).Select(rank => LaunchEnvironment.Detect(Env.Of(
            ("RANK", rank.ToString(CultureInfo.InvariantCulture)), ("WORLD_SIZE", Size.ToString(CultureInfo.InvariantCulture)),
            ("MASTER_ADDR", "127.0.0.1"), ("MASTER_PORT", port), ("TORCHELASTIC_RUN_ID", job), ("COLLECTIVES_TRANSPORT", transport))))];

        // Each rank on a thread of its own: the warm-up's blocking calls hold it until every rank has joined them.
        return await Task.WhenAll(launches.Select(launch => Task.Factory.StartNew(
            () => Communicator.ConnectAsync(launch, new CommunicatorOptions { Timeout = TimeSpan.FromSeconds(20) }),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()));
    }

    private static async Task DisposeAsync(Communicator[] ranks)
    {
        foreach (Communicator comm in ranks)
        {
            await comm.DisposeAsync();
        }
    }
}
