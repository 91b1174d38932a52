using Collectives.Diagnostics;
using Collectives.Offload.Descriptors;
using Collectives.Offload.Engine;
using Collectives.Offload.Tests.Support;
using Collectives.Transport;

namespace Collectives.Offload.Tests.Engine;

public sealed class OffloadedCommunicatorTests
{
    private static readonly CommunicatorOptions WithNic = new() { Offload = new NicOffload() };

    [Test]
    public void Reduce_at_every_root_gives_the_software_binomial_bits_at_the_root()
    {
        const int size = 5;
        var offloaded = new double[size][][];
        var software = new double[size][][];
        RunJob(size, WithNic, (communicator, rank) => offloaded[rank] = ReduceAtEveryRoot(communicator, ReduceAlgorithm.Auto));
        RunJob(size, null, (communicator, rank) => software[rank] = ReduceAtEveryRoot(communicator, ReduceAlgorithm.BinomialTree));

        Assert.That(offloaded, Is.EqualTo(software));
    }

    [Test]
    public void Broadcast_from_every_root_gives_every_rank_the_roots_data()
    {
        const int size = 6;
        var received = new long[size][][];
        RunJob(size, WithNic, (communicator, rank) =>
        {
            received[rank] = new long[size][];
            for (int root = 0; root < size; root++)
            {
                long[] buffer = [.. Enumerable.Range(0, 20).Select(i => rank == root ? (root * 1000L) + i : -1)];
                communicator.Broadcast(buffer.AsSpan(), root);
                received[rank][root] = buffer;
            }
        });

        for (int root = 0; root < size; root++)
        {
            long[] expected = [.. Enumerable.Range(0, 20).Select(i => (root * 1000L) + i)];
            Assert.That(received.Select(rank => rank[root]), Has.All.EqualTo(expected), $"root {root}");
        }
    }

    [Test]
    public void Barrier_runs_on_the_nic()
    {
        using var recorder = new TagRecorder();

        RunJob(4, WithNic, (communicator, _) => communicator.Barrier());

        Assert.That(recorder.Tags("barrier"), Has.Count.EqualTo(4).And.All.EqualTo(("nic", "nic")));
    }

    [Test]
    public void TransportName_names_the_nic_and_the_transport_its_packets_go_over()
    {
        string[] names = new string[2];

        RunJob(2, WithNic, (communicator, rank) => names[rank] = communicator.TransportName);

        Assert.That(names, Has.All.EqualTo("nic (over inprocess)"));
    }

    [Test]
    public void Without_an_offload_engine_TransportName_is_the_transports_name_alone()
    {
        string[] names = new string[2];

        RunJob(2, null, (communicator, rank) => names[rank] = communicator.TransportName);

        Assert.That(names, Has.All.EqualTo("inprocess"));
    }

    [Test]
    public void The_metrics_transport_tag_stays_the_transports_name_under_the_nic()
    {
        using var recorder = new TagRecorder();

        RunJob(2, WithNic, (communicator, _) => communicator.Allreduce(new int[4].AsSpan(), ReduceOp.Sum));

        Assert.That(recorder.Transports("allreduce"), Is.EqualTo(new[] { "inprocess", "inprocess" }));
    }

    [Test]
    public void Supported_calls_are_tagged_nic_and_the_rest_fallback_in_the_metrics()
    {
        using var recorder = new TagRecorder();

        RunJob(3, WithNic, (communicator, _) =>
        {
            communicator.Allreduce(new int[4].AsSpan(), ReduceOp.Sum);
            communicator.Allreduce(new int[4].AsSpan(), ReduceOp.Prod);
        });

        Assert.That(recorder.Tags("allreduce"), Is.EquivalentTo(new[]
        {
            ("nic", "nic"), ("nic", "nic"), ("nic", "nic"),
            ("recursive_doubling", CollectivesTelemetry.OffloadFallback), ("recursive_doubling", CollectivesTelemetry.OffloadFallback), ("recursive_doubling", CollectivesTelemetry.OffloadFallback),
        }));
    }

    [Test]
    public void A_forced_software_algorithm_is_not_offloaded()
    {
        using var recorder = new TagRecorder();

        RunJob(2, WithNic, (communicator, _) => communicator.Allreduce(new float[3].AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.Ring));

        Assert.That(recorder.Tags("allreduce"), Has.All.EqualTo(("ring", CollectivesTelemetry.OffloadFallback)));
    }

    [Test]
    public void Every_rank_sees_the_error_vector_of_an_overflowing_integer_sum()
    {
        var errors = new AluErrors[4];
        var results = new int[4];
        RunJob(4, WithNic, (communicator, rank) =>
        {
            int[] value = [int.MaxValue / 2];
            communicator.Allreduce(value.AsSpan(), ReduceOp.Sum);
            errors[rank] = ((NicEngine)communicator.OffloadEngine!).LastErrors;
            results[rank] = value[0];
        });

        Assert.That(errors, Has.All.EqualTo(AluErrors.IntegerOverflow));
        Assert.That(results, Has.All.EqualTo(unchecked((int.MaxValue / 2) * 4)));
    }

    [Test]
    public void A_rank_that_never_calls_makes_the_others_time_out_naming_it()
    {
        var options = new CommunicatorOptions { Offload = new NicOffload(), Timeout = TimeSpan.FromMilliseconds(500) };
        Exception? failure = null;
        RunJob(2, options, (communicator, rank) =>
        {
            if (rank == 0)
            {
                failure = Assert.Catch(() => communicator.Allreduce(new float[2].AsSpan(), ReduceOp.Max));
            }
        });

        Assert.That(failure, Is.TypeOf<CollectiveTimeoutException>());
        Assert.That(((CollectiveTimeoutException)failure!).SilentRank, Is.EqualTo(1));
    }

    [Test]
    public void Ranks_that_make_different_calls_all_throw_instead_of_combining_them()
    {
        var options = new CommunicatorOptions { Offload = new NicOffload(), Timeout = TimeSpan.FromSeconds(5) };
        var failures = new Exception?[2];
        RunJob(2, options, (communicator, rank) =>
            failures[rank] = Assert.Catch(() => communicator.Allreduce(new int[rank + 2].AsSpan(), ReduceOp.Sum)));

        Assert.That(failures, Has.All.InstanceOf<CollectiveException>());
    }

    [Test]
    public async Task An_async_offloaded_call_completes_with_the_result()
    {
        Communicator[] communicators = Communicator.CreateLocal(3, WithNic);
        try
        {
            float[][] buffers = [[1f, 2f], [3f, 4f], [5f, 6f]];
            await Task.WhenAll(communicators.Select(c => c.AllreduceAsync(buffers[c.Rank].AsMemory(), ReduceOp.Sum).AsTask()));

            Assert.That(buffers, Has.All.EqualTo(new[] { 9f, 12f }));
        }
        finally
        {
            foreach (Communicator communicator in communicators)
            {
                await communicator.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task Code_after_an_awaited_offloaded_call_never_runs_on_the_nic_thread()
    {
        Communicator[] communicators = Communicator.CreateLocal(2, WithNic);
        try
        {
            // No synchronization context, and ConfigureAwait(false): the continuation runs wherever the call completes.
            string?[][] threads = await Task.WhenAll(communicators.Select(communicator => Task.Run(async () =>
            {
                var names = new string?[20];
                for (int call = 0; call < names.Length; call++)
                {
                    await communicator.AllreduceAsync(new int[1].AsMemory(), ReduceOp.Sum).ConfigureAwait(false);
                    names[call] = Thread.CurrentThread.Name;
                }

                return names;
            })));

            Assert.That(threads.SelectMany(names => names), Has.None.StartsWith("NIC of rank"));
        }
        finally
        {
            foreach (Communicator communicator in communicators)
            {
                await communicator.DisposeAsync();
            }
        }
    }

    private static double[][] ReduceAtEveryRoot(Communicator communicator, ReduceAlgorithm algorithm)
    {
        var results = new double[communicator.Size][];
        for (int root = 0; root < communicator.Size; root++)
        {
            double[] send = [.. Enumerable.Range(0, 9).Select(i => Math.Sqrt((communicator.Rank * 13) + i + root))];
            results[root] = new double[9];
            communicator.Reduce<double>(send, results[root], ReduceOp.Sum, root, algorithm);
        }

        return results;
    }

    private static void RunJob(int size, CommunicatorOptions? options, Action<Communicator, int> body)
        => Ranks.RunJob(size, options, communicator => body(communicator, communicator.Rank));
}
