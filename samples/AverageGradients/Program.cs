// Data-parallel training's inner step: every rank computes a gradient vector, an Allreduce sums
// them and each rank divides by the rank count. Then every rank checks, through a second
// Allreduce of the result's bits, that it holds exactly the same bits as every other rank.
// Run with: collrun -n 4 -- samples/AverageGradients [elements]
using System.Diagnostics;
using System.Runtime.InteropServices;
using Collectives;

int elements = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
await using Communicator comm = await Communicator.ConnectAsync();

// A stand-in for back-propagation: a different, deterministic gradient on every rank.
float[] gradients = new float[elements];
var random = new Random(Seed: 1000 + comm.Rank);
for (int i = 0; i < elements; i++)
{
    gradients[i] = (float)((random.NextDouble() * 2) - 1);
}

var stopwatch = Stopwatch.StartNew();
await comm.AllreduceAsync(gradients.AsMemory(), ReduceOp.Sum);
float scale = 1f / comm.Size;
for (int i = 0; i < elements; i++)
{
    gradients[i] *= scale;
}

double milliseconds = stopwatch.Elapsed.TotalMilliseconds;

// Same bits everywhere <=> the bitwise AND and the bitwise OR of all ranks' bits are equal.
uint[] and = MemoryMarshal.Cast<float, uint>(gradients).ToArray();
uint[] or = [.. and];
await comm.AllreduceAsync(and.AsMemory(), ReduceOp.BitwiseAnd);
await comm.AllreduceAsync(or.AsMemory(), ReduceOp.BitwiseOr);
bool identical = and.AsSpan().SequenceEqual(or);

Console.WriteLine($"rank {comm.Rank}: averaged {elements:N0} floats over {comm.Size} ranks ({comm.TransportName}) in {milliseconds:F1} ms; "
    + $"first = {gradients[0]:F6}; identical on every rank: {(identical ? "yes" : "NO")}");
return identical ? 0 : 1;
