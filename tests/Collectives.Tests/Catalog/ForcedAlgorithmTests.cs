using Collectives.Tests.Selection;
using Collectives.Tests.Support;

namespace Collectives.Tests.Catalog;

/// <summary>Any row can be forced per call, Barrier included; a row the communicator cannot run is refused before anything is sent.</summary>
public class ForcedAlgorithmTests
{
    [Test]
    [Platform("Linux")]
    public void A_barrier_forced_per_call_runs_that_algorithm_where_the_table_would_pick_another()
    {
        // On one segment the built-in table picks the shared-memory barrier.
        using var recorder = new MeasurementRecorder();

        LocalJob.Run(3, null, communicator => communicator.Barrier(BarrierAlgorithm.Dissemination), TestTransport.SharedMemory);

        Assert.That(recorder.Of("collectives.operations").Where(m => (string?)m.Tags["collective"] == "barrier").Select(m => m.Tags["algorithm"]),
            Is.EqualTo(new[] { "dissemination", "dissemination", "dissemination" }));
    }

    [Test]
    [Platform("Linux")]
    public async Task An_async_barrier_forced_per_call_runs_that_algorithm()
    {
        using var recorder = new MeasurementRecorder();

        await LocalJob.RunAsync(2, null, communicator => communicator.BarrierAsync(BarrierAlgorithm.Dissemination).AsTask(), TestTransport.SharedMemory);

        Assert.That(recorder.Of("collectives.operations").Where(m => (string?)m.Tags["collective"] == "barrier").Select(m => m.Tags["algorithm"]),
            Is.EqualTo(new[] { "dissemination", "dissemination" }));
    }

    [Test]
    public void Forcing_offload_without_an_engine_throws_NotSupportedException_saying_how_to_get_one()
    {
        Communicator[] ranks = Communicator.CreateLocal(2);
        try
        {
            Assert.That(() => ranks[0].Allreduce(new float[4].AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.Offload),
                Throws.TypeOf<NotSupportedException>().With.Message.Contains("has none").And.Message.Contains("CommunicatorOptions.Offload"));
        }
        finally
        {
            foreach (Communicator rank in ranks)
            {
                rank.Dispose();
            }
        }
    }

    [Test]
    public void Forcing_the_shared_memory_barrier_without_a_segment_throws_NotSupportedException_naming_it()
    {
        Communicator[] ranks = Communicator.CreateLocal(2);
        try
        {
            Assert.That(() => ranks[0].Barrier(BarrierAlgorithm.SharedMemory),
                Throws.TypeOf<NotSupportedException>().With.Message.Contains("barrier algorithm shm"));
        }
        finally
        {
            foreach (Communicator rank in ranks)
            {
                rank.Dispose();
            }
        }
    }
}
