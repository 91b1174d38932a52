using System.Globalization;

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

            case "die-during-allreduce":
                {
                    // The named rank exits abruptly (no goodbye) after a few calls; the others keep calling.
                    int victim = int.Parse(arguments[0], CultureInfo.InvariantCulture);
                    await using Communicator comm = await Communicator.ConnectAsync();
                    reportRank(comm.Rank);
                    float[] data = new float[1024];
                    long lastSuccess = System.Diagnostics.Stopwatch.GetTimestamp();
                    for (int call = 0; ; call++)
                    {
                        if (comm.Rank == victim && call == 20)
                        {
                            Environment.Exit(42);
                        }

                        try
                        {
                            comm.Allreduce(data.AsSpan(), ReduceOp.Sum);
                            lastSuccess = System.Diagnostics.Stopwatch.GetTimestamp();
                        }
                        catch (CollectiveException)
                        {
                            // How long after the last call that completed the failure surfaced: an
                            // upper bound on the time from the victim's exit to its detection.
                            Console.WriteLine($"DETECTED {comm.Rank} after {System.Diagnostics.Stopwatch.GetElapsedTime(lastSuccess).TotalMilliseconds:F1} ms");
                            throw;
                        }
                    }
                }

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
                    // Rank 0 reduces one element more than the others.
                    await using Communicator comm = await Communicator.ConnectAsync();
                    reportRank(comm.Rank);
                    int[] data = new int[comm.Rank == 0 ? 11 : 10];
                    comm.Allreduce(data.AsSpan(), ReduceOp.Sum);
                    return "the mismatched call returned";
                }

            case "skip-collective":
                {
                    // The named rank connects but never calls; the others time out naming it.
                    int silent = int.Parse(arguments[0], CultureInfo.InvariantCulture);
                    await using Communicator comm = await Communicator.ConnectAsync();
                    reportRank(comm.Rank);
                    if (comm.Rank == silent)
                    {
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
}
