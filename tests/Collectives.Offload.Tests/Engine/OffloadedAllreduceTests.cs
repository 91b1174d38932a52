using System.Runtime.InteropServices;
using Collectives.Offload.Engine;
using Collectives.Offload.Tests.Support;
using Collectives.Reduction;

namespace Collectives.Offload.Tests.Engine;

/// <summary>
/// Allreduce on communicators configured with the NIC, over the in-process transport, against the
/// software algorithms with the same tree: a binomial-tree Reduce to rank 0, then a binomial-tree
/// Broadcast, on communicators without offload.
/// </summary>
public sealed class OffloadedAllreduceTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    [TestCase(6)]
    [TestCase(7)]
    [TestCase(8)]
    [TestCase(9)]
    [TestCase(17)]
    public void Every_alu_operation_and_type_gives_the_software_tree_bits_on_every_rank(int size)
    {
        (ReduceOp Op, DataType Type)[] cases = [.. AluCases.All];
        var offloaded = new byte[cases.Length][][][];
        var software = new byte[cases.Length][][][];
        Run(Communicator.CreateLocal(size, new CommunicatorOptions { Offload = new NicOffload() }), offloaded, cases, size, offload: true);
        Run(Communicator.CreateLocal(size), software, cases, size, offload: false);

        for (int c = 0; c < cases.Length; c++)
        {
            for (int k = 0; k < Counts(cases[c].Type).Length; k++)
            {
                for (int rank = 0; rank < size; rank++)
                {
                    Assert.That(offloaded[c][k][rank], Is.EqualTo(software[c][k][rank]), $"{cases[c]}, {Counts(cases[c].Type)[k]} elements, rank {rank}");
                }
            }
        }
    }

    /// <summary>One element (4 or 8 bytes), a full 48-byte descriptor, one more (a chain of two), and a longer chain.</summary>
    private static int[] Counts(DataType type) => [1, 48 / type.PrimitiveSize, (48 / type.PrimitiveSize) + 1, 100];

    private static void Run(Communicator[] communicators, byte[][][][] results, (ReduceOp Op, DataType Type)[] cases, int size, bool offload)
    {
        for (int c = 0; c < cases.Length; c++)
        {
            results[c] = new byte[Counts(cases[c].Type).Length][][];
            for (int k = 0; k < results[c].Length; k++)
            {
                results[c][k] = Inputs.For(cases[c].Type, cases[c].Op, Counts(cases[c].Type)[k], size, seed: (c * 31) + k);
            }
        }

        try
        {
            Ranks.Run(communicators, communicator =>
            {
                for (int c = 0; c < cases.Length; c++)
                {
                    foreach (byte[][] inputs in results[c])
                    {
                        byte[] buffer = inputs[communicator.Rank];
                        if (offload)
                        {
                            TypedCalls.Allreduce(communicator, cases[c].Type, cases[c].Op, buffer);
                        }
                        else
                        {
                            byte[] result = new byte[buffer.Length];
                            TypedCalls.Reduce(communicator, cases[c].Type, cases[c].Op, buffer, result, 0, ReduceAlgorithm.BinomialTree);
                            communicator.Broadcast(MemoryMarshal.Cast<byte, uint>(result.AsSpan()), 0, BroadcastAlgorithm.BinomialTree);
                            result.CopyTo(buffer, 0);
                        }
                    }
                }
            });
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
