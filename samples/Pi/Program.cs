// Estimates pi by Monte Carlo: each rank throws darts at the unit square, and a Reduce adds up
// the hits at rank 0. Run with: collrun -n 4 -- samples/Pi [darts-per-rank]
using System.Diagnostics;
using Collectives;

long dartsPerRank = args.Length > 0 ? long.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000_000;
await using Communicator comm = await Communicator.ConnectAsync();

var stopwatch = Stopwatch.StartNew();
var random = new Random(Seed: 12345 + comm.Rank);
long hits = 0;
for (long i = 0; i < dartsPerRank; i++)
{
    double x = random.NextDouble();
    double y = random.NextDouble();
    if ((x * x) + (y * y) <= 1.0)
    {
        hits++;
    }
}

long[] counts = [hits, dartsPerRank];
await comm.ReduceAsync(counts.AsMemory(), ReduceOp.Sum, root: 0);
if (comm.Rank == 0)
{
    double pi = 4.0 * counts[0] / counts[1];
    Console.WriteLine($"pi ~ {pi:F6} (error {Math.Abs(pi - Math.PI):E2}) from {counts[1]:N0} darts on {comm.Size} ranks over {comm.TransportName} in {stopwatch.Elapsed.TotalMilliseconds:F0} ms");
}
