using System.Diagnostics;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Waiting for one rank's word in the flag protocol. The windows can only wait for every rank's
/// slot (<see cref="Transport.ISharedMemoryWindows.WaitForAll"/>), so this wait is the context's
/// own: it spins briefly (1 µs when the host runs more ranks than it has cores, else 50 µs, as the
/// transport does), then yields for 20 ms, then sleeps a millisecond at a time. It keeps the
/// guarantees of the windows' wait through probes of it: a wait for a slot value no rank reaches,
/// with a deadline already past, throws when the job was aborted, the transport closed or the
/// caller cancelled (each millisecond); a longer one, of 30 ms, lets the transport check every peer's
/// liveness (after 100 ms of waiting, then each second), so a dead peer ends the wait with
/// <see cref="Transport.PeerFailedException"/>; and the call's deadline ends it with a
/// <see cref="CollectiveTimeoutException"/> naming the rank waited for.
/// </summary>
internal sealed partial class SharedMemoryContext
{
    private static readonly long OversubscribedSpinTicks = Ticks(TimeSpan.FromMicroseconds(1));
    private static readonly long SpinTicks = Ticks(TimeSpan.FromMicroseconds(50));
    private static readonly long YieldTicks = Ticks(TimeSpan.FromMilliseconds(20));
    private static readonly long AbortProbeTicks = Ticks(TimeSpan.FromMilliseconds(1));
    private static readonly long FirstLivenessProbeTicks = Ticks(TimeSpan.FromMilliseconds(100));
    private static readonly long LivenessProbeEveryTicks = Ticks(TimeSpan.FromSeconds(1));
    private static readonly long LivenessProbeTicks = Ticks(TimeSpan.FromMilliseconds(30));

    /// <summary>Waits until the word at <paramref name="offset"/> of <paramref name="rank"/>'s window is at least <paramref name="value"/> (acquire).</summary>
    private void WaitForWord(int rank, int offset, long value)
    {
        ref long word = ref Word(rank, offset);
        if (Volatile.Read(ref word) >= value)
        {
            return;
        }

        long waitStart = _waits.Start(Named(rank));
        long start = Stopwatch.GetTimestamp();
        long spinUntil = start + (Size > Environment.ProcessorCount ? OversubscribedSpinTicks : SpinTicks);
        long yieldUntil = spinUntil + YieldTicks;
        long nextAbortProbe = start + AbortProbeTicks;
        long nextLivenessProbe = start + FirstLivenessProbeTicks;
        while (Volatile.Read(ref word) < value)
        {
            long now = Stopwatch.GetTimestamp();
            if (now < spinUntil)
            {
                Thread.SpinWait(1);
                continue;
            }

            if (now >= _deadline)
            {
                if (Volatile.Read(ref word) >= value)
                {
                    break;
                }

                throw new CollectiveTimeoutException(Named(Rank), Named(rank), _timeout, Signature);
            }

            if (now >= nextLivenessProbe)
            {
                _windows.WaitForAll(0, long.MaxValue, Math.Min(_deadline, now + LivenessProbeTicks), _cancellationToken, out _);
                nextLivenessProbe = now + LivenessProbeEveryTicks;
                continue;
            }

            if (now >= nextAbortProbe)
            {
                _windows.WaitForAll(0, long.MaxValue, 0, _cancellationToken, out _);
                nextAbortProbe = now + AbortProbeTicks;
            }

            if (now < yieldUntil)
            {
                Thread.Yield();
            }
            else
            {
                Thread.Sleep(1);
            }
        }

        _waits.Waited(waitStart, Named(rank));
    }

    private static long Ticks(TimeSpan duration) => (long)(duration.TotalSeconds * Stopwatch.Frequency);
}
