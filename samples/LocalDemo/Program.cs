// Four ranks in this process run each collective once and print what they got.
using Collectives;

const int Ranks = 4;
Communicator[] ranks = Communicator.CreateLocal(Ranks);
var lines = new string[Ranks];

await Task.WhenAll(ranks.Select(comm => Task.Run(async () =>
{
    // Allreduce: every rank contributes (rank + 1) * [1, 2, 3]; everyone gets the sum.
    float[] gradients = [1f * (comm.Rank + 1), 2f * (comm.Rank + 1), 3f * (comm.Rank + 1)];
    await comm.AllreduceAsync(gradients.AsMemory(), ReduceOp.Sum);

    // Broadcast: rank 0's settings reach everyone.
    int[] settings = comm.Rank == 0 ? [42, 7] : [0, 0];
    await comm.BroadcastAsync(settings.AsMemory(), root: 0);

    // Reduce with MaxLoc: which rank has the largest value (rank 2 here), delivered to rank 3.
    ValueIndex<double>[] best = [new(comm.Rank == 2 ? 9.5 : comm.Rank, comm.Rank)];
    await comm.ReduceAsync(best.AsMemory(), ReduceOp.MaxLoc, root: 3);

    await comm.BarrierAsync();
    lines[comm.Rank] = $"rank {comm.Rank}/{comm.Size}: allreduce sum = [{string.Join(", ", gradients)}], broadcast = [{string.Join(", ", settings)}]"
        + (comm.Rank == 3 ? $", maxloc at root = {best[0].Value} from rank {best[0].Index}" : string.Empty);
})));

foreach (string line in lines)
{
    Console.WriteLine(line);
}

foreach (Communicator comm in ranks)
{
    await comm.DisposeAsync();
}
