using Collectives.Algorithms;
using Collectives.Execution;
using Collectives.Reduction;
using Collectives.Transport;
using Collectives.Transport.InProcess;

namespace Collectives.Tests.Faults;

/// <summary>
/// Below the communicator: every message an algorithm sends carries the sender's whole call
/// signature, and a receiver rejects a message whose signature differs in any field. This is
/// what turns a disagreement into <see cref="CollectiveMismatchException"/>, and it lets the
/// fields that cannot yet differ end to end (the operation, with only Sum implemented; the
/// algorithm, with one implemented per collective) be checked now.
/// </summary>
public class SignatureVerificationTests
{
    private static readonly CollectiveSignature Agreed = new(
        Sequence: 1, CollectiveKind.Allreduce, ReduceOp.Sum, DataType.Of<int>()!.Value.Code, Count: 4, Root: -1, (byte)AllreduceAlgorithm.RecursiveDoubling);

    public static IEnumerable<TestCaseData> Disagreements()
    {
        yield return Case("operation", Agreed with { Op = ReduceOp.Max });
        yield return Case("algorithm", Agreed with { Algorithm = (byte)AllreduceAlgorithm.Ring });
        yield return Case("element type", Agreed with { DataType = DataType.Of<float>()!.Value.Code });
        yield return Case("count", Agreed with { Count = 5 });
        yield return Case("root", Agreed with { Root = 0 });
        yield return Case("collective", Agreed with { Kind = CollectiveKind.Reduce });
        yield return Case("sequence number (call order)", Agreed with { Sequence = 2 });
    }

    [TestCaseSource(nameof(Disagreements))]
    public async Task Both_ranks_reject_the_message_of_a_rank_whose_signature_differs_in_one_field(CollectiveSignature other)
    {
        CollectiveSignature[] signatures = [Agreed, other];

        Exception?[] failures = await RunRecursiveDoublingAsync(signatures);

        for (int rank = 0; rank < 2; rank++)
        {
            Assert.That(failures[rank], Is.TypeOf<CollectiveMismatchException>(), $"rank {rank}");
            var mismatch = (CollectiveMismatchException)failures[rank]!;
            Assert.That((mismatch.LocalRank, mismatch.Local, mismatch.RemoteRank, mismatch.Remote),
                Is.EqualTo((rank, signatures[rank], 1 - rank, signatures[1 - rank])), $"rank {rank}");
        }
    }

    [Test]
    public async Task Ranks_whose_signatures_agree_exchange_data()
    {
        Exception?[] failures = await RunRecursiveDoublingAsync([Agreed, Agreed]);

        Assert.That(failures, Has.All.Null);
    }

    [Test]
    public void Calls_that_differ_only_in_communicator_or_in_the_high_half_of_the_count_have_different_tags()
    {
        var signature = new CollectiveSignature(ulong.MaxValue - 1, CollectiveKind.Gather, 0, DataType.Of<int>()!.Value.Code, 16, 0, (byte)GatherAlgorithm.Linear);

        MessageTag[] tags =
        [
            signature.ToTag(0, 0),
            (signature with { CommunicatorId = 1 }).ToTag(0, 0),
            (signature with { Count = (1L << 32) | 16 }).ToTag(0, 0),
        ];

        Assert.That(tags, Is.Unique);
    }

    [Test]
    public void The_signature_survives_the_round_trip_through_a_message_tag()
    {
        // The count keeps all 64 bits (a GatherV's digest sits in the high half); the communicator's
        // identity is folded into the sequence's word, which reads back exactly below 2^32 calls.
        var signature = new CollectiveSignature(4_000_000_000, CollectiveKind.Reduce, ReduceOp.BitwiseXor, DataType.Of<ValueIndex<double>>()!.Value.Code, (0x1234_abcdL << 32) | int.MaxValue, 12345, (byte)ReduceAlgorithm.Rabenseifner)
        {
            CommunicatorId = 0xfedc_ba98,
        };

        CollectiveSignature decoded = CollectiveSignature.FromTag(signature.ToTag(step: 7, segment: 9), out int step, out int segment);

        Assert.That((decoded, step, segment), Is.EqualTo((signature, 7, 9)));
    }

    /// <summary>Runs recursive-doubling Allreduce of 4 ints on two ranks, each with its own signature.</summary>
    private static async Task<Exception?[]> RunRecursiveDoublingAsync(CollectiveSignature[] signatures)
    {
        InProcessTransport[] transports = InProcessTransport.CreateGroup(2);
        ReductionKernel kernel = ReductionKernels.Get(ReduceOp.Sum, DataType.Of<int>()!.Value);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var failures = new Exception?[2];
        await Task.WhenAll(Enumerable.Range(0, 2).Select(rank => Task.Run(async () =>
        {
            var context = new CollectiveContext(transports[rank], CommunicatorOptions.DefaultSegmentSize);
            context.Begin(signatures[rank], kernel, sizeof(int), TimeSpan.FromSeconds(5), timeout.Token, CancellationToken.None);
            try
            {
                await RecursiveDoublingAllreduce.RunAsync(context, new byte[4 * sizeof(int)]);
            }
            catch (Exception exception)
            {
                failures[rank] = exception;
            }
        })));
        return failures;
    }

    private static TestCaseData Case(string field, CollectiveSignature other) => new TestCaseData(other).SetArgDisplayNames(field);
}
