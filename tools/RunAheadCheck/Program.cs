// Checks that ranks which run ahead of each other never see a false mismatch or a wrong result.
// Under `collrun --transport nic` small Auto reductions run on the simulated NIC, which a rank can
// finish before a slower rank has left the software call before it; the loop below is the
// pattern that once failed that way (issue 11), followed by a seeded random mix of NIC and
// software calls. Every result is checked against a value computed here, without the library.
//
//   collrun -n 3 --transport nic tools/RunAheadCheck [iterations] [seed]
using System.Diagnostics;
using System.Globalization;
using Collectives;

int iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
int seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
await using Communicator comm = await Communicator.ConnectAsync();
int rank = comm.Rank;
int size = comm.Size;
var stopwatch = Stopwatch.StartNew();

// The pattern: a forced software Reduce, a small Auto Reduce (the NIC's), a forced Ring Allreduce.
int[] large = [.. Enumerable.Range(0, 4096).Select(i => rank + i)];
int[] largeResult = new int[large.Length];
int[] small = new int[4];
int[] smallResult = new int[4];
int[] ring = new int[4];
for (int iteration = 0; iteration < iterations; iteration++)
{
    int softwareRoot = iteration % size;
    int nicRoot = (iteration + 1) % size;
    comm.Reduce(large, largeResult, ReduceOp.Sum, softwareRoot, ReduceAlgorithm.BinomialTree);
    Check(rank != softwareRoot || largeResult[4095] == SumOverRanks(4095), iteration, "software Reduce");

    Array.Fill(small, iteration + rank);
    comm.Reduce(small, smallResult, ReduceOp.Sum, nicRoot);
    Check(rank != nicRoot || smallResult[3] == SumOverRanks(iteration), iteration, "Auto Reduce");

    Array.Fill(ring, iteration - rank);
    comm.Allreduce(ring.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.Ring);
    Check(ring[0] == (size * iteration) - SumOverRanks(0), iteration, "Ring Allreduce");
}

// The mix: every rank draws the same calls from the same seed.
var random = new Random(seed);
long[] buffer = new long[4];
long[] result = new long[4];
for (int call = 0; call < iterations; call++)
{
    int root = random.Next(size);
    long mine = (call * 100L) + rank;
    long sum = (call * 100L * size) + SumOverRanks(0);
    Array.Fill(buffer, mine);
    switch (random.Next(5))
    {
        case 0:
            comm.Reduce(buffer, result, ReduceOp.Sum, root);
            Check(rank != root || result[0] == sum, call, "mixed Auto Reduce");
            break;
        case 1:
            comm.Allreduce(buffer.AsSpan(), ReduceOp.Max);
            Check(buffer[0] == (call * 100L) + size - 1, call, "mixed Auto Allreduce");
            break;
        case 2:
            comm.Allreduce(buffer.AsSpan(), ReduceOp.Sum, AllreduceAlgorithm.RecursiveDoubling);
            Check(buffer[0] == sum, call, "mixed RecursiveDoubling Allreduce");
            break;
        case 3:
            comm.Broadcast(buffer.AsSpan(), root, BroadcastAlgorithm.BinomialTree);
            Check(buffer[0] == (call * 100L) + root, call, "mixed Broadcast");
            break;
        default:
            comm.Barrier();
            break;
    }
}

comm.Barrier();
if (rank == 0)
{
    Console.WriteLine($"{size} ranks over {comm.TransportName} (offload: {comm.OffloadEngine?.GetType().Name ?? "none"}): "
        + $"{iterations} pattern iterations and {iterations} mixed calls, every result right, in {stopwatch.Elapsed.TotalSeconds:F1} s");
}

int SumOverRanks(int offset) => Enumerable.Range(0, size).Sum(r => r + offset);

void Check(bool right, int iteration, string what)
{
    if (!right)
    {
        throw new InvalidOperationException($"Rank {rank}: wrong result of the {what} in iteration {iteration}.");
    }
}
