using System.Diagnostics;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Waiting for one rank's word in the flag protocol, by the windows' own wait
/// (<see cref="Transport.ISharedMemoryWindows.WaitForWord"/>): spin, then yield, then sleep on the
/// futex until the rank publishes (<see cref="PublishWord"/>), with the budgets of every other wait
/// in the windows. The yields matter when ranks outnumber the cores: a child that sleeps at once
/// waits for the futex wake-up and then for a core, where one that yields hands its core to the
/// parent it waits for and sees the flag at its next turn (4 ranks on 2 cores, 8 B broadcast:
/// median 19 µs sleeping at once, 11 µs yielding; docs/performance.md). The windows' wait throws
/// when the rank waited for is gone, the job was aborted, the transport closed or the caller
/// cancelled; the call's deadline ends it with a <see cref="CollectiveTimeoutException"/> naming
/// the rank waited for. A long wait looks at what the rank announced (see <see cref="AnotherCall"/>).
/// </summary>
internal sealed partial class SharedMemoryContext
{
    /// <summary>Waits until the word at <paramref name="offset"/> of <paramref name="rank"/>'s window is at least <paramref name="value"/> (acquire).</summary>
    private void WaitForWord(int rank, int offset, long value)
    {
        if (Volatile.Read(ref Word(rank, offset)) >= value)
        {
            return;
        }

        long waitStart = _waits.Start(Named(rank));
        while (!_windows.WaitForWord(rank, offset, value, NextLook(Stopwatch.GetTimestamp()), _cancellationToken))
        {
            if (Stopwatch.GetTimestamp() >= _deadline)
            {
                throw new CollectiveTimeoutException(Named(Rank), Named(rank), _timeout, Signature);
            }

            // A rank seen in a later call raised the word before it announced that call: re-read it after.
            if (AnotherCall(rank, out bool later) is { } theirs && !(later && Volatile.Read(ref Word(rank, offset)) >= value))
            {
                throw Mismatch(rank, theirs, later);
            }
        }

        _waits.Waited(waitStart, Named(rank));
    }

    /// <summary>Stores <paramref name="value"/> in the word at <paramref name="offset"/> of this rank's window (release) and wakes the ranks that sleep waiting for a word.</summary>
    private void PublishWord(int offset, long value) => _windows.PublishWord(offset, value);
}
