// Data-parallel training of a small multilayer perceptron, written with TensorPrimitives, on a
// synthetic dataset every rank builds from one seed. Each rank trains on its share of every
// global batch; gradients are summed over the ranks while the backward pass is still running
// (or, with --sharded, reduce-scattered into a sharded optimizer and the parameters allgathered).
// Rank 0 prints the loss curve, which is the same on every rank, and the speed-up over 1 rank.
// Run with: collrun -n 4 samples/DataParallelTraining [--sharded] [--epochs N]
using System.Globalization;
using System.Runtime.InteropServices;
using Collectives;
using DataParallelTraining;

TrainingSettings settings;
try
{
    settings = TrainingSettings.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}

await using Communicator comm = await Communicator.ConnectAsync();
SyntheticDataset data = SyntheticDataset.Create(settings.Samples, TrainingSettings.Features, TrainingSettings.Classes, TrainingSettings.DataSeed);

// The 1-rank reference: rank 0 trains one epoch alone on a one-rank communicator (the same code,
// with nothing to exchange) while the others wait, so it has the machine to itself.
double[] soloSeconds = new double[1];
if (comm.Rank == 0)
{
    // The second of two epochs, so the first's just-in-time compilation is not counted.
    await using Communicator solo = Communicator.CreateLocal(1)[0];
    var soloTrainer = new Trainer(solo, data, settings);
    await soloTrainer.RunEpochAsync(0, CancellationToken.None);
    soloSeconds[0] = (await soloTrainer.RunEpochAsync(1, CancellationToken.None)).Duration.TotalSeconds;
}

await comm.BroadcastAsync(soloSeconds.AsMemory(), root: 0);

var trainer = new Trainer(comm, data, settings);
if (comm.Rank == 0)
{
    Console.WriteLine($"{comm.Size} rank(s) over {comm.TransportName}; {trainer.ParameterCount:N0} parameters; {settings.Samples:N0} samples, global batch {settings.GlobalBatch}");
    Console.WriteLine($"strategy: {trainer.Strategy}");
}

double[] curve = new double[settings.Epochs];
var epochSeconds = new List<double>();
for (int epoch = 0; epoch < settings.Epochs; epoch++)
{
    EpochResult result = await trainer.RunEpochAsync(epoch, CancellationToken.None);
    curve[epoch] = result.Loss;
    epochSeconds.Add(result.Duration.TotalSeconds);
    if (comm.Rank == 0)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {epoch + 1,3}: loss {result.Loss:F4}  accuracy {result.Accuracy:P1}  ({result.Duration.TotalMilliseconds:F0} ms)"));
    }
}

// The same bits on every rank <=> the bitwise AND and OR of all ranks' bits agree: the loss
// curve and every parameter.
bool identical = await IdenticalOnEveryRankAsync(comm, MemoryMarshal.Cast<double, ulong>(curve).ToArray())
    && await IdenticalOnEveryRankAsync(comm, MemoryMarshal.Cast<float, uint>(trainer.Parameters).ToArray());
epochSeconds.Sort();
double median = epochSeconds[epochSeconds.Count / 2];
if (comm.Rank == 0)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"1 rank: {soloSeconds[0] * 1000:F0} ms/epoch; {comm.Size} ranks: {median * 1000:F0} ms/epoch (median); speed-up {soloSeconds[0] / median:F2}x; waited on communication after the backward pass: {trainer.ExposedWait.TotalMilliseconds:F0} ms in all"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rank {comm.Rank}: final loss {curve[^1]:F4}; loss curve and parameters identical on every rank: {(identical ? "yes" : "NO")}"));
return identical ? 0 : 1;

static async Task<bool> IdenticalOnEveryRankAsync<T>(Communicator comm, T[] bits) where T : unmanaged
{
    T[] or = [.. bits];
    await comm.AllreduceAsync(bits.AsMemory(), ReduceOp.BitwiseAnd);
    await comm.AllreduceAsync(or.AsMemory(), ReduceOp.BitwiseOr);
    return MemoryMarshal.AsBytes(bits.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(or.AsSpan()));
}
