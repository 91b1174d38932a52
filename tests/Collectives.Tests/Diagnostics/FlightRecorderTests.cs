using Collectives.Diagnostics;
using Collectives.Execution;
using Collectives.Tests.Faults;
using Collectives.Tests.Support;

namespace Collectives.Tests.Diagnostics;

/// <summary>
/// Each communicator keeps its last calls in a flight recorder; a timeout or mismatch carries this
/// rank's recent calls, ending with the failed one, and the failure's log entry lists them.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class FlightRecorderTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    [Test]
    public void The_ring_keeps_the_newest_calls_oldest_first()
    {
        var recorder = new FlightRecorder(capacity: 3);
        for (ulong sequence = 1; sequence <= 5; sequence++)
        {
            recorder.Begin(Barrier(sequence), startTicks: 100 * (long)sequence);
            recorder.Complete();
        }

        FlightRecord[] records = recorder.Snapshot(WaitClock.NotWaiting);

        Assert.That(records.Select(record => record.Call.Sequence), Is.EqualTo(new ulong[] { 3, 4, 5 }));
        Assert.That(records.Select(record => record.State), Has.All.EqualTo(FlightRecordState.Completed));
    }

    [Test]
    public void A_running_call_has_run_since_it_began()
    {
        var recorder = new FlightRecorder(capacity: 2);
        long quarterOfASecondAgo = System.Diagnostics.Stopwatch.GetTimestamp() - (System.Diagnostics.Stopwatch.Frequency / 4);
        recorder.Begin(Barrier(1), quarterOfASecondAgo);

        FlightRecord record = recorder.Snapshot(WaitClock.NotWaiting).Single();

        Assert.That(record.Duration, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.25)));
    }

    [Test]
    public void A_completed_call_is_not_timed()
    {
        var recorder = new FlightRecorder(capacity: 2);
        recorder.Begin(Barrier(1), System.Diagnostics.Stopwatch.GetTimestamp());
        recorder.Complete();

        FlightRecord record = recorder.Snapshot(WaitClock.NotWaiting).Single();

        Assert.That((record.State, record.Duration), Is.EqualTo((FlightRecordState.Completed, (TimeSpan?)null)));
    }

    [Test]
    public void A_running_call_shows_the_rank_it_waits_for()
    {
        var recorder = new FlightRecorder(capacity: 4);
        recorder.Begin(Barrier(1), System.Diagnostics.Stopwatch.GetTimestamp());

        FlightRecord record = recorder.Snapshot(currentWait: 2).Single();

        Assert.That((record.State, record.Peer, record.Describe()), Is.EqualTo((FlightRecordState.Waiting, 2, "waiting on rank 2")));
    }

    [Test]
    public void A_recorder_of_no_calls_records_nothing()
    {
        var recorder = new FlightRecorder(capacity: 0);
        recorder.Begin(Barrier(1), 1);
        recorder.Complete();

        Assert.That(recorder.Snapshot(WaitClock.NotWaiting), Is.Empty);
    }

    [Test]
    public void A_negative_number_of_recorded_calls_is_refused()
    {
        var options = new CommunicatorOptions { FlightRecorderCalls = -1 };

        Assert.That(() => Communicator.CreateLocal(2, options), Throws.TypeOf<ArgumentOutOfRangeException>()
            .With.Message.Contains("CommunicatorOptions.FlightRecorderCalls=-1 is out of range"));
    }

    [Test]
    public void The_variable_sets_the_number_of_recorded_calls_when_the_option_does_not()
    {
        Func<string, string?> environment = name => name == CommunicatorOptions.FlightRecorderCallsVariable ? "64" : null;

        Assert.That(ResolvedOptions.Resolve(null, environment).FlightRecorderCalls, Is.EqualTo(64));
        Assert.That(ResolvedOptions.Resolve(new CommunicatorOptions { FlightRecorderCalls = 3 }, environment).FlightRecorderCalls, Is.EqualTo(3));
    }

    [Test]
    public void A_malformed_variable_is_refused_naming_it()
    {
        Assert.That(
            () => ResolvedOptions.Resolve(null, name => name == CommunicatorOptions.FlightRecorderCallsVariable ? "many" : null),
            Throws.TypeOf<FormatException>().With.Message.StartsWith(CommunicatorOptions.FlightRecorderCallsVariable + "='many' is not a number"));
    }

    [Test]
    public void A_timeout_carries_this_ranks_recent_calls_ending_with_the_call_that_waited_on_the_silent_rank()
    {
        RankCall allreduce = RankCall.Allreduce<int>(4);
        var options = new CommunicatorOptions { Timeout = Timeout };

        // Three calls on both ranks; then rank 0 makes a fourth that rank 1 never makes.
        Exception?[] failures = LocalJob.RunCollectingFailures(2, options, communicator =>
        {
            for (int call = 0; call < (communicator.Rank == 0 ? 4 : 3); call++)
            {
                allreduce.Invoke(communicator);
            }
        });

        Assert.That(failures[0], Is.TypeOf<CollectiveTimeoutException>());
        IReadOnlyList<FlightRecord> recent = ((CollectiveTimeoutException)failures[0]!).RecentCalls;
        Assert.That(recent.Select(record => record.Call), Is.EqualTo(new ulong[] { 1, 2, 3, 4 }.Select(allreduce.SignatureAt)));
        Assert.That(recent.Select(record => record.State), Is.EqualTo(new[]
        {
            FlightRecordState.Completed, FlightRecordState.Completed, FlightRecordState.Completed, FlightRecordState.Failed,
        }));
        Assert.That((recent[^1].ErrorType, recent[^1].Peer), Is.EqualTo(("timeout", 1)));
    }

    [Test]
    public void A_mismatch_carries_each_ranks_recent_calls_ending_with_its_own_call()
    {
        RankCall agreed = RankCall.Allreduce<int>(4);
        RankCall different = RankCall.Allreduce<int>(5);

        Exception?[] failures = LocalJob.RunCollectingFailures(2, new CommunicatorOptions { Timeout = TimeSpan.FromSeconds(30) }, communicator =>
        {
            agreed.Invoke(communicator);
            (communicator.Rank == 1 ? different : agreed).Invoke(communicator);
        });

        for (int rank = 0; rank < 2; rank++)
        {
            Assert.That(failures[rank], Is.TypeOf<CollectiveMismatchException>(), $"rank {rank}");
            IReadOnlyList<FlightRecord> recent = ((CollectiveMismatchException)failures[rank]!).RecentCalls;
            RankCall own = rank == 1 ? different : agreed;
            Assert.That(recent.Select(record => (record.Call, record.State, record.ErrorType)), Is.EqualTo(new[]
            {
                (agreed.SignatureAt(1), FlightRecordState.Completed, (string?)null),
                (own.SignatureAt(2), FlightRecordState.Failed, "mismatch"),
            }), $"rank {rank}");
        }
    }

    [Test]
    public void The_failures_log_entry_lists_the_recent_calls()
    {
        using var logs = new RecordingLoggerFactory();
        RankCall allreduce = RankCall.Allreduce<int>(4);
        var options = new CommunicatorOptions { Timeout = Timeout, LoggerFactory = logs };

        LocalJob.RunCollectingFailures(2, options, communicator =>
        {
            allreduce.Invoke(communicator);
            if (communicator.Rank == 0)
            {
                allreduce.Invoke(communicator);
            }
        });

        string entry = logs.Messages.Single(message => message.StartsWith("Rank 0 failed", StringComparison.Ordinal));
        string[] calls = entry.Split('\n')[1..];
        Assert.That(calls[0], Does.Match($@"^  {System.Text.RegularExpressions.Regex.Escape(allreduce.SignatureAt(1).ToString())}: completed, started [0-9:.]+$"));
        Assert.That(calls[1], Does.StartWith($"  {allreduce.SignatureAt(2)}: failed (timeout) waiting on rank 1, started "));
    }

    [Test]
    public void With_no_recorded_calls_a_timeout_carries_none()
    {
        var options = new CommunicatorOptions { Timeout = Timeout, FlightRecorderCalls = 0 };

        Exception?[] failures = LocalJob.RunCollectingFailures(2, options, communicator =>
        {
            if (communicator.Rank == 0)
            {
                communicator.Barrier();
            }
        });

        Assert.That(failures[0], Is.TypeOf<CollectiveTimeoutException>()
            .With.Property(nameof(CollectiveTimeoutException.RecentCalls)).Empty);
    }

    [Test]
    public void A_record_file_reads_back_as_written()
    {
        string path = Path.Combine(Path.GetTempPath(), $"flight-record-test-{Guid.NewGuid():N}.flight");
        DateTimeOffset started = new(2026, 12, 3, 4, 5, 6, TimeSpan.Zero);
        FlightRecord[] written =
        [
            new(RankCall.Allreduce<int>(4).SignatureAt(7), FlightRecordState.Completed, -1, started, null, null),
            new(RankCall.Barrier().SignatureAt(8), FlightRecordState.Waiting, 3, started.AddSeconds(1), TimeSpan.FromSeconds(5), null),
        ];
        try
        {
            FlightRecordFile.Write(path, rank: 2, size: 4, written);

            RankFlightRecord? read = FlightRecordFile.Read(path);

            Assert.That((read?.Rank, read?.Size), Is.EqualTo(((int?)2, (int?)4)));
            Assert.That(read!.Calls, Is.EqualTo(new[]
            {
                new RecordedCall(7, "Allreduce(Sum, 4 x Int32) [recursive_doubling]", "completed", started, null),
                new RecordedCall(8, "Barrier [dissemination]", "waiting on rank 3", started.AddSeconds(1), TimeSpan.FromSeconds(5)),
            }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static CollectiveSignature Barrier(ulong sequence) => RankCall.Barrier().SignatureAt(sequence);
}
