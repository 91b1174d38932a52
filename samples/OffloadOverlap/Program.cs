// Overlap: every rank starts an Allreduce, computes on the host while it is in flight, then waits.
// Offloaded, the NIC thread runs the whole reduction tree; in software (recursive doubling, the
// default for small messages) the library's own continuations do. The sample prints how much of
// the collective hid behind the host work in each case (OSU's overlap measure), and, with
// "measure", blocking completion time and CPU time per call.
// Run with: collrun -n 4 -- samples/OffloadOverlap [overlap|measure] [bytes ...]
using System.Globalization;
using Collectives;
using Collectives.Offload.Engine;

// collrun passes a separating "--" through.
args = args is ["--", .. var rest] ? rest : args;
string mode = args.Length > 0 ? args[0] : "overlap";
int[] sizes = args.Length > 1 ? [.. args[1..].Select(a => int.Parse(a, CultureInfo.InvariantCulture))] : [8, 48];
const int Rounds = 3;
const int Calls = 2_000;
const int OverlapCalls = 300;

await using Communicator comm = await Communicator.ConnectAsync(new CommunicatorOptions { Offload = new NicOffload(), VerifyCalls = false });
TimeSpan unit = HostWork.MeasureUnit();
if (comm.Rank == 0)
{
    Console.WriteLine($"{comm.Size} ranks over {comm.TransportName}, offload engine: {comm.OffloadEngine?.Name}; one host work unit = {unit.TotalMicroseconds:F2} µs");
}

// About 200 µs of host work per call: longer than a small Allreduce takes here, so it can hide it.
int workUnits = Math.Max(1, (int)(200 / Math.Max(unit.TotalMicroseconds, 0.01)));

foreach (int bytes in sizes)
{
    int floats = bytes / sizeof(float);

    // Interleaved rounds, because this machine's timings drift; each line is one round.
    for (int round = 0; round < Rounds; round++)
    {
        if (mode == "measure")
        {
            LatencyResult offloaded = await LatencyRun.RunAsync(comm, floats, offload: true, Calls);
            LatencyResult software = await LatencyRun.RunAsync(comm, floats, offload: false, Calls);
            Report(comm, $"{bytes} B round {round}: completion offload {offloaded.Microseconds:F1} µs, software {software.Microseconds:F1} µs; "
                + $"CPU per call offload {offloaded.ProcessCpuMicroseconds:F1} µs (NIC thread {offloaded.NicCpuMicroseconds:F1}, host {offloaded.ProcessCpuMicroseconds - offloaded.NicCpuMicroseconds:F1}), "
                + $"software {software.ProcessCpuMicroseconds:F1} µs");
        }
        else
        {
            OverlapResult offloaded = await OverlapRun.RunAsync(comm, floats, offload: true, OverlapCalls, workUnits);
            OverlapResult software = await OverlapRun.RunAsync(comm, floats, offload: false, OverlapCalls, workUnits);
            Report(comm, $"{bytes} B round {round}: host work {offloaded.Work:F0} µs per call. Offloaded: Allreduce alone {offloaded.Alone:F0} µs, "
                + $"with the work {offloaded.Both:F0} µs, overlap {offloaded.Overlap:P0}. Software: alone {software.Alone:F0} µs, with the work {software.Both:F0} µs, overlap {software.Overlap:P0}");
        }
    }
}

return 0;

static void Report(Communicator comm, string line)
{
    // Rank 0 speaks for the job; the figures are its own (completion times are the maximum over ranks).
    if (comm.Rank == 0)
    {
        Console.WriteLine(line);
    }
}
