using Collectives.Offload.Engine;
using Collectives.Offload.Nic;
using Collectives.Offload.Tests.Support;
using Collectives.Reduction;

namespace Collectives.Offload.Tests.Engine;

/// <summary>
/// The NIC's ALU has no 16-bit width: the engine says it does not run reductions of Half or
/// BFloat16, so selection passes them to software, with the software's result; a broadcast of
/// them only moves words and runs on the NIC like any other.
/// </summary>
public sealed class OffloadedSixteenBitTests
{
    [TestCase(ElementType.Float16)]
    [TestCase(ElementType.BFloat16)]
    public void The_alu_supports_no_operation_on_a_16_bit_float(ElementType element)
    {
        ReduceOp[] supported = [.. Enum.GetValues<ReduceOp>().Where(op => AluOperations.Supports(op, element))];

        Assert.That(supported, Is.Empty);
    }

    [Test]
    public void Reductions_of_16_bit_floats_fall_back_to_software_with_the_software_result()
    {
        using var recorder = new TagRecorder();
        var halves = new Half[3][];
        var bfloat16s = new BFloat16[3][];

        Ranks.RunJob(3, new CommunicatorOptions { Offload = new NicOffload() }, communicator =>
        {
            int rank = communicator.Rank;
            Half[] half = [(Half)(rank + 1), (Half)(0.5 * (rank + 1))];
            BFloat16[] bfloat16 = [(BFloat16)(rank - 1f), (BFloat16)(rank * 2f)];
            communicator.Allreduce(half.AsSpan(), ReduceOp.Sum);
            communicator.Allreduce(bfloat16.AsSpan(), ReduceOp.Max);
            halves[rank] = half;
            bfloat16s[rank] = bfloat16;
        });

        Assert.That(halves, Has.All.EqualTo(new[] { (Half)6, (Half)3 }));
        Assert.That(bfloat16s.Select(values => values.Select(value => (float)value)), Has.All.EqualTo(new[] { 1f, 4f }));
        Assert.That(recorder.Tags("allreduce"), Has.Count.EqualTo(6).And.None.Matches<(string Algorithm, string? Offload)>(tags => tags.Offload == "nic"));
    }

    [Test]
    public void Forcing_offload_for_a_reduction_of_Half_throws_NotSupportedException_naming_the_engine_and_the_type()
    {
        Communicator[] communicators = Communicator.CreateLocal(2, new CommunicatorOptions { Offload = new NicOffload() });
        try
        {
            Assert.That(
                () => communicators[0].Allreduce(new Half[4].AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.Offload),
                Throws.TypeOf<NotSupportedException>().With.Message.Contains("offload engine nic does not run").And.Message.Contains("Float16"));
        }
        finally
        {
            foreach (Communicator communicator in communicators)
            {
                communicator.Dispose();
            }
        }
    }

    [Test]
    public void A_broadcast_of_BFloat16_runs_on_the_nic_and_delivers_the_roots_bits()
    {
        using var recorder = new TagRecorder();
        BFloat16[] root = [(BFloat16)1.5f, (BFloat16)(-0f), (BFloat16)float.PositiveInfinity, BFloat16.FromBits(0x0001)];
        var received = new ushort[3][];

        Ranks.RunJob(3, new CommunicatorOptions { Offload = new NicOffload() }, communicator =>
        {
            BFloat16[] buffer = communicator.Rank == 1 ? (BFloat16[])root.Clone() : new BFloat16[root.Length];
            communicator.Broadcast(buffer.AsSpan(), root: 1, BroadcastAlgorithm.Offload);
            received[communicator.Rank] = [.. buffer.Select(value => value.ToBits())];
        });

        Assert.That(received, Has.All.EqualTo(root.Select(value => value.ToBits())));
        Assert.That(recorder.Tags("broadcast"), Has.Count.EqualTo(3).And.All.EqualTo(("nic", "nic")));
    }
}
