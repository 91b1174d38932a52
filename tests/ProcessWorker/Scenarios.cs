using System.Globalization;
using Collectives.ProcessWorker.Faults;

namespace Collectives.ProcessWorker;

/// <summary>The scenarios a rank can run; each returns a one-line summary or throws.</summary>
internal static class Scenarios
{
    public static async Task<string> RunAsync(string scenario, string[] arguments, Action<int> reportRank)
    {
        switch (scenario)
        {
            case "matrix":
                {
                    int segmentSize = arguments.Length > 0 ? int.Parse(arguments[0], CultureInfo.InvariantCulture) : 256;
                    await using Communicator comm = await Communicator.ConnectAsync(new CommunicatorOptions { SegmentSize = segmentSize });
                    reportRank(comm.Rank);
                    int cases = await MatrixSubset.RunAsync(comm);
                    return $"{cases} cases over {comm.TransportName} on {comm.Size} ranks";
                }

            case "leave-between-calls":
                return await FaultScenarios.LeaveBetweenCallsAsync(Int(arguments[0]), arguments[1], reportRank);

            case "kill-mid-call":
                return await FaultScenarios.KillMidCallAsync(Int(arguments[0]), reportRank);

            case "kill-mid-connect":
                return await FaultScenarios.KillMidConnectAsync(Int(arguments[0]), reportRank);

            case "serve":
                return await FaultScenarios.ServeAsync(arguments[0], arguments[1], reportRank);

            case "bad-call":
                return await FaultScenarios.BadCallAsync(arguments[0], Int(arguments[1]), reportRank);

            case "call-until-failure":
                return await FaultScenarios.CallUntilFailureAsync(Int(arguments[0]), arguments.Length > 1 ? Int(arguments[1]) : FaultScenarios.Elements, reportRank);

            case "corrupt-descriptors":
                return await FaultScenarios.CorruptDescriptorsAsync(Int(arguments[0]), reportRank);

            case "die-before-announcing-segment":
                {
                    // Rank 0 kills itself (SIGKILL) once its shared-memory segment exists, before it
                    // announces it (held there by the transport's test hook); the others give up
                    // waiting for the announcement and must remove the segment.
                    Bootstrap.LaunchInfo launch = Bootstrap.LaunchEnvironment.Detect();
                    reportRank(launch.Rank);
                    if (launch.Rank == 0)
                    {
                        Environment.SetEnvironmentVariable("COLLECTIVES_TEST_SHM_ANNOUNCE_DELAY", "60");
                        string segment = Path.Combine("/dev/shm", Transport.SharedMemory.SharedMemoryTransport.SegmentName(launch.CreateCredentials()));
                        _ = Task.Run(async () =>
                        {
                            while (!File.Exists(segment))
                            {
                                await Task.Delay(5);
                            }

                            System.Diagnostics.Process.GetCurrentProcess().Kill();
                        });
                    }

                    await using Communicator comm = await Communicator.ConnectAsync();
                    return "connected although rank 0 never announced its segment";
                }

            case "mismatch":
                {
                    // Rank 0 reduces one element more than the others. Every rank reports the
                    // moment it makes the call as its fault.
                    await using Communicator comm = await Communicator.ConnectAsync();
                    reportRank(comm.Rank);
                    SelfSignal.Report(comm.Rank);
                    int[] data = new int[comm.Rank == 0 ? 11 : 10];
                    comm.Allreduce(data.AsSpan(), ReduceOp.Sum);
                    return "the mismatched call returned";
                }

            case "skip-collective":
                {
                    // The named rank connects but never calls; the others time out naming it.
                    int silent = Int(arguments[0]);
                    await using Communicator comm = await Communicator.ConnectAsync();
                    reportRank(comm.Rank);
                    if (comm.Rank == silent)
                    {
                        SelfSignal.Report(silent);
                        await Task.Delay(2 * comm.Timeout + TimeSpan.FromSeconds(1));
                        return "slept";
                    }

                    comm.Barrier();
                    return "the barrier returned";
                }

            case "measure":
                {
                    // Average latency of a float Sum Allreduce per size, OSU-style (a barrier between
                    // iterations is left out: back-to-back calls); rank 0 reports.
                    bool verify = arguments.Length == 0 || arguments[0] != "noverify";
                    await using Communicator comm = await Communicator.ConnectAsync(new CommunicatorOptions { VerifyCalls = verify });
                    reportRank(comm.Rank);
                    var lines = new List<string>();
                    foreach (int bytes in new[] { 8, 4096, 1 << 20 })
                    {
                        float[] buffer = new float[bytes / sizeof(float)];
                        int iterations = bytes >= 1 << 20 ? 50 : 2000;
                        for (int i = 0; i < iterations / 5; i++)
                        {
                            comm.Allreduce(buffer.AsSpan(), ReduceOp.Sum);
                        }

                        comm.Barrier();
                        long start = System.Diagnostics.Stopwatch.GetTimestamp();
                        for (int i = 0; i < iterations; i++)
                        {
                            comm.Allreduce(buffer.AsSpan(), ReduceOp.Sum);
                        }

                        double microseconds = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds / iterations;
                        lines.Add($"{bytes} B: {microseconds:F1} us");
                    }

                    return $"allreduce over {comm.TransportName} on {comm.Size} ranks, verify={verify}: " + string.Join("; ", lines);
                }

            default:
                throw new ArgumentException($"Unknown scenario '{scenario}'.");
        }
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
