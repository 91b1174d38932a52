using System.Globalization;
using Collectives.Bootstrap;
using Collectives.Transport;

namespace Collectives.ProcessWorker.Faults;

/// <summary>
/// The fault-matrix scenarios: a rank that dies, stops or leaves at a chosen point, a job that
/// serves while intruders knock on its ports, one rank's bad call, a NIC fed malformed
/// descriptors. Each returns a one-line summary or throws; a survivor throws the typed exception
/// the test checks.
/// </summary>
internal static class FaultScenarios
{
    /// <summary>
    /// Elements per Allreduce (and the default of call-until-failure's small one): small enough to run on the NIC under <c>--transport nic</c> in a few
    /// packets that fit the smallest shared-memory ring the tests use (4 KiB; a call of more packets
    /// than the ring holds deadlocks the NIC over shared memory, a known defect).
    /// </summary>
    public const int Elements = 64;

    /// <summary>
    /// Every rank calls Allreduce in a loop; rank <paramref name="victim"/> leaves after 20 calls
    /// while the others are in their 21st: <c>exit</c> (Environment.Exit(42), no dispose),
    /// <c>kill</c> (SIGKILL) or <c>stop</c> (SIGSTOP: silent, alive, its connections open).
    /// </summary>
    public static async Task<string> LeaveBetweenCallsAsync(int victim, string how, Action<int> reportRank)
    {
        await using Communicator comm = await Communicator.ConnectAsync();
        reportRank(comm.Rank);
        float[] data = new float[Elements];
        long lastSuccess = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int call = 0; ; call++)
        {
            if (comm.Rank == victim && call == 20)
            {
                Leave(victim, how);
            }

            try
            {
                comm.Allreduce(data.AsSpan(), ReduceOp.Sum);
                lastSuccess = System.Diagnostics.Stopwatch.GetTimestamp();
            }
            catch (CollectiveException)
            {
                // How long after the last call that completed the failure surfaced: an upper
                // bound on the time from the victim's departure to its detection.
                Console.WriteLine($"DETECTED {comm.Rank} after {System.Diagnostics.Stopwatch.GetElapsedTime(lastSuccess).TotalMilliseconds:F1} ms");
                throw;
            }
        }
    }

    /// <summary>
    /// Rank <paramref name="victim"/> is killed (SIGKILL) while its Allreduce is in flight: rank 0
    /// joins that call only 0.5 s late, so the victim's call cannot have completed when it dies
    /// 0.2 s into it. The survivors then call Barrier: a survivor whose Allreduce no longer needed
    /// the victim (it had sent its part) completes it correctly and learns of the death there.
    /// </summary>
    public static async Task<string> KillMidCallAsync(int victim, Action<int> reportRank)
    {
        await using Communicator comm = await Communicator.ConnectAsync();
        reportRank(comm.Rank);
        float[] data = new float[Elements];
        for (int call = 0; call < 3; call++)
        {
            comm.Allreduce(data.AsSpan(), ReduceOp.Sum);
        }

        if (comm.Rank == victim)
        {
            // On a thread of its own: over shared-memory windows even AllreduceAsync runs on the caller's thread.
            Task pending = Task.Run(() => comm.Allreduce(data.AsSpan(), ReduceOp.Sum));
            await Task.Delay(200);
            if (pending.IsCompleted)
            {
                throw new InvalidOperationException("The victim's call completed before the kill: the scenario did not kill it mid-call.");
            }

            SelfSignal.Kill(victim);
        }
        else if (comm.Rank == 0)
        {
            await Task.Delay(500);
        }

        comm.Allreduce(data.AsSpan(), ReduceOp.Sum);
        comm.Barrier();
        return "the call and the next returned";
    }

    /// <summary>
    /// Rank <paramref name="victim"/> is killed (SIGKILL) 0.3 s into Communicator.ConnectAsync,
    /// which cannot have finished: rank 0 starts connecting only 1 s after the others.
    /// </summary>
    public static async Task<string> KillMidConnectAsync(int victim, Action<int> reportRank)
    {
        int rank = int.Parse(Environment.GetEnvironmentVariable(LaunchVariables.Rank)!, CultureInfo.InvariantCulture);
        reportRank(rank);
        if (rank == victim)
        {
            Task<Communicator> connecting = Communicator.ConnectAsync();
            await Task.Delay(300);
            if (connecting.IsCompleted)
            {
                throw new InvalidOperationException("The victim connected before the kill: the scenario did not kill it mid-connect.");
            }

            SelfSignal.Kill(victim);
        }
        else if (rank == 0)
        {
            await Task.Delay(1000);
        }

        await using Communicator comm = await Communicator.ConnectAsync();
        comm.Barrier();
        return "connected and passed a barrier";
    }

    /// <summary>
    /// Serves Allreduce calls (checking every result) until the file <paramref name="stopFile"/>
    /// exists; rank 0 writes <paramref name="readyFile"/> once the first call has completed, so
    /// the test knows every rank is connected and serving.
    /// </summary>
    public static async Task<string> ServeAsync(string readyFile, string stopFile, Action<int> reportRank)
    {
        await using Communicator comm = await Communicator.ConnectAsync();
        reportRank(comm.Rank);
        int expectedRanks = comm.Size * (comm.Size + 1) / 2;
        int[] buffer = new int[3];
        for (int call = 0; ; call++)
        {
            buffer[0] = comm.Rank + 1;
            buffer[1] = call;
            buffer[2] = comm.Rank == 0 && File.Exists(stopFile) ? 1 : 0;
            comm.Allreduce(buffer.AsSpan(), ReduceOp.Sum);
            if (buffer[0] != expectedRanks || buffer[1] != call * comm.Size)
            {
                throw new InvalidDataException($"Call {call}: rank {comm.Rank} got [{buffer[0]}, {buffer[1]}], expected [{expectedRanks}, {call * comm.Size}].");
            }

            if (call == 0 && comm.Rank == 0)
            {
                await File.WriteAllTextAsync(readyFile, "serving");
            }

            if (buffer[2] > 0)
            {
                return $"{call + 1} calls over {comm.TransportName}, every result right";
            }

            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Rank <paramref name="offender"/> makes the bad call <paramref name="name"/> (see
    /// <see cref="BadCalls"/>) between two good Allreduces; every rank checks the second one.
    /// For concurrent calls the offender's second call comes while its first waits for the
    /// others, who join 0.5 s late; use after dispose comes after the last good call.
    /// </summary>
    public static async Task<string> BadCallAsync(string name, int offender, Action<int> reportRank)
    {
        Communicator comm = await Communicator.ConnectAsync();
        reportRank(comm.Rank);
        try
        {
            int[] buffer = [comm.Rank + 1, 1];
            comm.Allreduce(buffer.AsSpan(), ReduceOp.Sum);
            string threw = "nothing (not the offender)";
            buffer = [comm.Rank + 1, 1];
            if (name == BadCalls.ConcurrentCalls)
            {
                if (comm.Rank == offender)
                {
                    // The first call on a thread of its own (over shared-memory windows even
                    // AllreduceAsync runs on the caller's thread), the second 0.2 s into it.
                    int[] first = buffer;
                    Task firstCall = Task.Run(() => comm.Allreduce(first.AsSpan(), ReduceOp.Sum));
                    await Task.Delay(200);
                    threw = firstCall.IsCompleted ? "nothing: the first call was over before the second" : BadCalls.Make(name, comm);
                    await firstCall;
                }
                else
                {
                    await Task.Delay(500);
                    comm.Allreduce(buffer.AsSpan(), ReduceOp.Sum);
                }
            }
            else
            {
                if (comm.Rank == offender && name != BadCalls.UseAfterDispose)
                {
                    threw = BadCalls.Make(name, comm);
                }

                comm.Allreduce(buffer.AsSpan(), ReduceOp.Sum);
            }

            int expected = comm.Size * (comm.Size + 1) / 2;
            if (buffer[0] != expected || buffer[1] != comm.Size)
            {
                throw new InvalidDataException($"After the bad call rank {comm.Rank} got [{buffer[0]}, {buffer[1]}], expected [{expected}, {comm.Size}].");
            }

            if (name == BadCalls.UseAfterDispose && comm.Rank == offender)
            {
                await comm.DisposeAsync();
                threw = BadCalls.Make(name, comm);
            }

            return $"the bad call threw {threw}; the next Allreduce gave the reference result";
        }
        finally
        {
            await comm.DisposeAsync();
        }
    }

    /// <summary>
    /// Allreduce on the offload NIC (run with <c>--transport nic</c>): after 5 clean calls, rank
    /// <paramref name="corruptor"/>'s NIC sends malformed descriptors (see <see cref="CorruptingNicOffload"/>).
    /// </summary>
    public static async Task<string> CorruptDescriptorsAsync(int corruptor, Action<int> reportRank)
    {
        await using Communicator comm = await Communicator.ConnectAsync(new CommunicatorOptions { Offload = new CorruptingNicOffload(corruptor) });
        reportRank(comm.Rank);
        int[] data = new int[64];
        for (int call = 0; call < 5; call++)
        {
            comm.Allreduce(data.AsSpan(), ReduceOp.Sum);
        }

        comm.Barrier();
        if (comm.Rank == corruptor)
        {
            SelfSignal.Report(corruptor);
            CorruptingTransport.Armed = true;
        }

        comm.Allreduce(data.AsSpan(), ReduceOp.Sum);
        return "the call with malformed descriptors returned";
    }

    /// <summary>
    /// Calls collectives until one fails (or <paramref name="calls"/> rounds are done): small and
    /// large Allreduces (messages and shared-memory windows), a Broadcast and a Barrier per round.
    /// The job tools/kill-soak.sh kills a rank of at a random moment. <paramref name="smallElements"/>
    /// sizes the small Allreduce (the one the NIC runs under <c>--transport nic</c>).
    /// </summary>
    public static async Task<string> CallUntilFailureAsync(int calls, int smallElements, Action<int> reportRank)
    {
        await using Communicator comm = await Communicator.ConnectAsync();
        reportRank(comm.Rank);

        // Tells a test that cuts a link or kills a host that the job is up.
        Console.WriteLine($"CONNECTED {comm.Rank}");
        float[] small = new float[smallElements];
        float[] large = new float[16 * 1024];
        for (int round = 0; round < calls; round++)
        {
            comm.Allreduce(small.AsSpan(), ReduceOp.Sum);
            comm.Allreduce(large.AsSpan(), ReduceOp.Max);
            comm.Broadcast(large.AsSpan(0, 1000), root: round % comm.Size);
            comm.Barrier();
        }

        return $"{calls} rounds over {comm.TransportName}";
    }

    private static void Leave(int victim, string how)
    {
        switch (how)
        {
            case "exit":
                SelfSignal.Report(victim);
                Environment.Exit(42);
                break;
            case "kill":
                SelfSignal.Kill(victim);
                break;
            case "stop":
                SelfSignal.Stop(victim);
                break;
            default:
                throw new ArgumentException($"Unknown way to leave '{how}'; use exit, kill or stop.");
        }
    }
}
