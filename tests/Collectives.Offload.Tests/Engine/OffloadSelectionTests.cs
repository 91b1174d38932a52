using Collectives.Offload.Engine;
using Collectives.Offload.Tests.Support;

namespace Collectives.Offload.Tests.Engine;

/// <summary>
/// The offload engine is an algorithm like any other: selection strings name it (<c>offload</c>,
/// or <c>nic</c>), a call can force it, the user's overrides come before it, and what it cannot
/// run is refused with the reason.
/// </summary>
public sealed class OffloadSelectionTests
{
    [TestCase("nic")]
    [TestCase("offload")]
    public void A_selection_string_sends_the_sizes_it_names_to_the_engine_and_the_rest_to_its_other_rules(string name)
    {
        using var recorder = new TagRecorder();
        var options = new CommunicatorOptions { Offload = new NicOffload(), Algorithms = $"allreduce:0-16k:{name};allreduce:*:ring" };

        Ranks.RunJob(2, options, communicator =>
        {
            communicator.Allreduce(new float[4].AsSpan(), ReduceOp.Sum);
            communicator.Allreduce(new float[8192].AsSpan(), ReduceOp.Sum);
        });

        Assert.That(recorder.Tags("allreduce"), Is.EquivalentTo(new[] { ("nic", "nic"), ("nic", "nic"), ("ring", "fallback"), ("ring", "fallback") }));
    }

    [Test]
    public void The_users_override_comes_before_the_engine()
    {
        using var recorder = new TagRecorder();
        var options = new CommunicatorOptions { Offload = new NicOffload(), Algorithms = "allreduce:*:rabenseifner" };

        Ranks.RunJob(3, options, communicator => communicator.Allreduce(new int[6].AsSpan(), ReduceOp.Sum));

        Assert.That(recorder.Tags("allreduce"), Has.Count.EqualTo(3).And.All.EqualTo(("rabenseifner", "fallback")));
    }

    [Test]
    public void A_call_forcing_offload_runs_on_the_engine_with_the_software_result()
    {
        using var recorder = new TagRecorder();
        var results = new int[3][];
        var options = new CommunicatorOptions { Offload = new NicOffload(), Algorithms = "allreduce:*:ring" };

        Ranks.RunJob(3, options, communicator =>
        {
            int[] buffer = [communicator.Rank + 1, 10 * (communicator.Rank + 1)];
            communicator.Allreduce<int>(buffer, buffer, ReduceOp.Sum, AllreduceAlgorithm.Offload);
            results[communicator.Rank] = buffer;
        });

        Assert.That(results, Has.All.EqualTo(new[] { 6, 60 }));
        Assert.That(recorder.Tags("allreduce"), Has.Count.EqualTo(3).And.All.EqualTo(("nic", "nic")));
    }

    [Test]
    public void A_barrier_can_be_forced_onto_the_engine()
    {
        using var recorder = new TagRecorder();
        var options = new CommunicatorOptions { Offload = new NicOffload(), Algorithms = "barrier:*:dissemination" };

        Ranks.RunJob(4, options, communicator => communicator.Barrier(BarrierAlgorithm.Offload));

        Assert.That(recorder.Tags("barrier"), Has.Count.EqualTo(4).And.All.EqualTo(("nic", "nic")));
    }

    [Test]
    public void Forcing_offload_for_a_call_the_engine_does_not_run_throws_NotSupportedException_naming_the_engine()
    {
        // The NIC's ALU has no product.
        var options = new CommunicatorOptions { Offload = new NicOffload() };
        Communicator[] communicators = Communicator.CreateLocal(2, options);
        try
        {
            Assert.That(() => communicators[0].Allreduce(new int[4].AsSpan(), ReduceOp.Prod, AllreduceAlgorithm.Offload),
                Throws.TypeOf<NotSupportedException>().With.Message.Contains("offload engine nic does not run").And.Message.Contains("Prod"));
        }
        finally
        {
            foreach (Communicator communicator in communicators)
            {
                communicator.Dispose();
            }
        }
    }
}
