using System.Diagnostics.Metrics;
using Collectives.Diagnostics;
using Collectives.Tests.Support;

namespace Collectives.Tests.Selection;

/// <summary>
/// Every call records <c>collectives.operations</c>, <c>collectives.bytes</c> and
/// <c>collectives.operation.duration</c> on the <c>Collectives</c> meter, tagged with the
/// collective, the algorithm and the transport; a call that throws records <c>collectives.failures</c> instead.
/// </summary>
public class MetricsTests
{
    private static readonly Dictionary<string, object?> AllreduceTags = new()
    {
        ["collective"] = "allreduce",
        ["algorithm"] = "recursive_doubling",
        ["transport"] = "inprocess",
        ["collectives.message_size"] = "<=1KiB",
    };

    private static readonly Dictionary<string, object?> MismatchTags = new(AllreduceTags) { ["collectives.message_size"] = "<=64B", ["error.type"] = "mismatch" };

    [Test]
    public void Each_rank_counts_one_operation_per_call_tagged_with_collective_algorithm_and_transport()
    {
        using var recorder = new MeasurementRecorder();

        LocalJob.Run(2, null, communicator => communicator.Allreduce(new float[250].AsSpan(), ReduceOp.Sum));

        Assert.That(recorder.Of("collectives.operations").Select(measurement => (measurement.Value, measurement.Tags)),
            Is.EqualTo(new[] { (1.0, AllreduceTags), (1.0, AllreduceTags) }));
    }

    [Test]
    public void Each_rank_counts_the_bytes_of_its_buffer()
    {
        using var recorder = new MeasurementRecorder();

        LocalJob.Run(2, null, communicator => communicator.Allreduce(new float[250].AsSpan(), ReduceOp.Sum));

        Assert.That(recorder.Of("collectives.bytes").Select(measurement => (measurement.Value, measurement.Tags)),
            Is.EqualTo(new[] { (1000.0, AllreduceTags), (1000.0, AllreduceTags) }));
    }

    [Test]
    public void Each_rank_records_the_duration_of_each_call_in_seconds()
    {
        using var recorder = new MeasurementRecorder();

        LocalJob.Run(2, null, communicator => communicator.Allreduce(new float[250].AsSpan(), ReduceOp.Sum));

        IReadOnlyList<RecordedMeasurement> durations = recorder.Of("collectives.operation.duration");
        Assert.That(durations.Select(measurement => measurement.Tags), Is.EqualTo(new[] { AllreduceTags, AllreduceTags }));
        Assert.That(durations.Select(measurement => measurement.Unit), Has.All.EqualTo("s"));
        Assert.That(durations.Select(measurement => double.IsFinite(measurement.Value) && measurement.Value >= 0), Has.All.True);
    }

    [TestCase("barrier", "dissemination")]
    [TestCase("broadcast", "binomial")]
    [TestCase("reduce", "binomial")]
    public void Every_collective_is_tagged_with_its_own_name_and_algorithm(string collective, string algorithm)
    {
        using var recorder = new MeasurementRecorder();

        LocalJob.Run(2, null, communicator =>
        {
            switch (collective)
            {
                case "barrier":
                    communicator.Barrier();
                    break;
                case "broadcast":
                    communicator.Broadcast(new int[4].AsSpan(), root: 0);
                    break;
                default:
                    communicator.Reduce(new int[4].AsSpan(), ReduceOp.Sum, root: 0);
                    break;
            }
        });

        Assert.That(recorder.Of("collectives.operations").Select(measurement => (measurement.Tag("collective"), measurement.Tag("algorithm"))),
            Is.EqualTo(new[] { (collective, algorithm), (collective, algorithm) }));
    }

    [Test]
    public void An_allgather_counts_the_bytes_of_one_ranks_block_tagged_with_its_algorithm()
    {
        using var recorder = new MeasurementRecorder();

        LocalJob.Run(3, null, communicator => communicator.Allgather<float>(new float[250], new float[750], AllgatherAlgorithm.Bruck));

        Assert.That(recorder.Of("collectives.bytes").Select(measurement => (measurement.Value, measurement.Tag("collective"), measurement.Tag("algorithm"))),
            Is.EqualTo(Enumerable.Repeat((1000.0, "allgather", "bruck"), 3)));
    }

    [Test]
    public void A_reduce_scatter_counts_the_bytes_of_one_ranks_block_tagged_with_its_algorithm()
    {
        using var recorder = new MeasurementRecorder();

        LocalJob.Run(3, null, communicator => communicator.ReduceScatter<float>(new float[750], new float[250], ReduceOp.Sum, ReduceScatterAlgorithm.Ring));

        Assert.That(recorder.Of("collectives.bytes").Select(measurement => (measurement.Value, measurement.Tag("collective"), measurement.Tag("algorithm"))),
            Is.EqualTo(Enumerable.Repeat((1000.0, "reduce_scatter", "ring"), 3)));
    }

    [Test]
    public void A_gather_counts_the_bytes_of_one_ranks_block_on_every_rank_tagged_with_its_algorithm()
    {
        using var recorder = new MeasurementRecorder();

        LocalJob.Run(3, null, communicator => communicator.Gather<float>(new float[250], new float[communicator.Rank == 1 ? 750 : 0], root: 1, GatherAlgorithm.Linear));

        Assert.That(recorder.Of("collectives.bytes").Select(measurement => (measurement.Value, measurement.Tag("collective"), measurement.Tag("algorithm"))),
            Is.EqualTo(Enumerable.Repeat((1000.0, "gather", "linear"), 3)));
    }

    [Test]
    public void A_call_that_throws_counts_as_a_failure_not_an_operation()
    {
        using var recorder = new MeasurementRecorder();

        Exception?[] failures = LocalJob.RunCollectingFailures(2, new CommunicatorOptions { Timeout = TimeSpan.FromSeconds(2) },
            communicator => communicator.Allreduce(new int[communicator.Rank + 1].AsSpan(), ReduceOp.Sum));

        Assert.That(failures, Has.All.TypeOf<CollectiveMismatchException>());
        Assert.That(recorder.Of("collectives.failures").Select(measurement => (measurement.Value, measurement.Tags)),
            Is.EqualTo(new[] { (1.0, MismatchTags), (1.0, MismatchTags) }));
        Assert.That(recorder.Of("collectives.operations"), Is.Empty);
    }

    [Test]
    public void A_mismatched_call_counts_a_failure_of_error_type_mismatch_on_every_rank()
    {
        using var recorder = new MeasurementRecorder();

        LocalJob.RunCollectingFailures(2, new CommunicatorOptions { Timeout = TimeSpan.FromSeconds(2) },
            communicator => communicator.Allreduce(new int[communicator.Rank + 1].AsSpan(), ReduceOp.Sum));

        Assert.That(recorder.Of("collectives.failures").Select(measurement => measurement.Tag("error.type")), Is.EqualTo(new[] { "mismatch", "mismatch" }));
    }

    [Test]
    public void A_call_that_times_out_counts_a_failure_of_error_type_timeout()
    {
        using var recorder = new MeasurementRecorder();

        Exception?[] failures = LocalJob.RunCollectingFailures(2, new CommunicatorOptions { Timeout = TimeSpan.FromMilliseconds(300) }, communicator =>
        {
            if (communicator.Rank == 0)
            {
                communicator.Allreduce(new int[4].AsSpan(), ReduceOp.Sum);
            }
        });

        Assert.That(failures.Select(failure => failure?.GetType()), Is.EqualTo(new[] { typeof(CollectiveTimeoutException), null }));
        Assert.That(recorder.Of("collectives.failures").Select(measurement => (measurement.Value, measurement.Tag("collective"), measurement.Tag("error.type"))),
            Is.EqualTo(new[] { (1.0, "allreduce", "timeout") }));
    }

    [TestCase(0, "0")]
    [TestCase(1, "<=64B")]
    [TestCase(64, "<=64B")]
    [TestCase(65, "<=1KiB")]
    [TestCase(1024, "<=1KiB")]
    [TestCase(1025, "<=16KiB")]
    [TestCase(16 << 10, "<=16KiB")]
    [TestCase((16 << 10) + 1, "<=256KiB")]
    [TestCase(256 << 10, "<=256KiB")]
    [TestCase((256 << 10) + 1, "<=4MiB")]
    [TestCase(4 << 20, "<=4MiB")]
    [TestCase((4 << 20) + 1, "<=64MiB")]
    [TestCase(64 << 20, "<=64MiB")]
    [TestCase((64 << 20) + 1, ">64MiB")]
    [TestCase(int.MaxValue, ">64MiB")]
    public void A_calls_buffer_size_falls_in_one_of_eight_size_buckets(int bytes, string bucket)
        => Assert.That(CollectivesTelemetry.MessageSizeBucket(bytes), Is.EqualTo(bucket));

    [Test]
    public void Each_call_is_tagged_with_the_size_bucket_of_its_buffer()
    {
        using var recorder = new MeasurementRecorder();

        LocalJob.Run(2, null, communicator =>
        {
            communicator.Barrier();
            communicator.Allreduce(new double[8].AsSpan(), ReduceOp.Sum);
            communicator.Allreduce(new double[1000].AsSpan(), ReduceOp.Sum);
        });

        Assert.That(recorder.Of("collectives.operations").Select(measurement => measurement.Tag("collectives.message_size")).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { "0", "0", "<=16KiB", "<=16KiB", "<=64B", "<=64B" }));
    }

    [Test]
    public void The_duration_histogram_advises_buckets_of_1_2_and_5_per_decade_from_1_microsecond_to_10_seconds()
    {
        InstrumentAdvice<double>? advice = null;
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (instrument is { Name: "collectives.operation.duration", Meter.Name: CollectivesTelemetry.Name } and Histogram<double> histogram)
                {
                    advice = histogram.Advice;
                }
            };
            listener.Start();
        }

        Assert.That(advice?.HistogramBucketBoundaries, Is.EqualTo(new[]
        {
            1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3,
            0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0,
        }));
    }
}
