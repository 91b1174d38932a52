using System.Diagnostics;
using Collectives.Transport;

namespace Collectives.Algorithms.SharedMemory;

/// <summary>
/// Mismatch detection for waits that would otherwise hang. A flag call waits for one rank only, and
/// a rank that made another call (another root, count, type or collective) may never raise the
/// word waited for; a step waits for every rank, and a rank in a flag call never steps. So each
/// verified call announces its signature in this rank's <see cref="FlagArea"/> (a seqlock: version
/// odd while writing), and a wait that lasts an eighth of the call timeout reads what the rank it
/// waits for announced. The same call number with another signature, or a later call while the
/// word is still not there (a rank that finished the call would have raised it), is a
/// disagreement: the waiting rank throws <see cref="CollectiveMismatchException"/> naming both
/// calls. An earlier call means the rank is only late (or makes this call without the windows),
/// and the wait goes on until the deadline.
/// </summary>
internal sealed partial class SharedMemoryContext
{
    /// <summary>Writes this rank's call signature in its announcement.</summary>
    private void Announce()
    {
        ref long version = ref Word(Rank, _flags.AnnouncementVersion);
        long before = Volatile.Read(ref version);

        // The exchange fences: a reader that sees the new signature's bytes also sees the odd version.
        Interlocked.Exchange(ref version, before + 1);
        Signature.ToTag(0, 0).WriteTo(_windows.Window(Rank)[_flags.AnnouncedSignature..]);
        Volatile.Write(ref version, before + 2);
    }

    /// <summary>The signature <paramref name="rank"/> last announced (a consistent copy).</summary>
    private MessageTag Announced(int rank)
    {
        ref long version = ref Word(rank, _flags.AnnouncementVersion);
        ReadOnlySpan<byte> signature = _windows.Window(rank)[_flags.AnnouncedSignature..];
        var spin = default(SpinWait);
        while (true)
        {
            long before = Volatile.Read(ref version);
            MessageTag tag = MessageTag.ReadFrom(signature);
            Interlocked.MemoryBarrier();
            if ((before & 1) == 0 && Volatile.Read(ref version) == before)
            {
                return tag;
            }

            spin.SpinOnce();
        }
    }

    /// <summary>
    /// What <paramref name="rank"/> announced, when it shows the rank in another call of this
    /// communicator: the same call number with another signature, or (<paramref name="later"/>) a
    /// later call; null when it is in this call or an earlier one.
    /// </summary>
    private CollectiveSignature? AnotherCall(int rank, out bool later)
    {
        later = false;
        MessageTag announced = Announced(rank);
        if (announced == Signature.ToTag(0, 0))
        {
            return null;
        }

        CollectiveSignature theirs = CollectiveSignature.FromTag(announced, out _, out _);
        int ahead = (int)((uint)theirs.Sequence - (uint)Signature.Sequence);
        if (theirs.CommunicatorId != Signature.CommunicatorId || ahead < 0)
        {
            return null;
        }

        later = ahead > 0;
        return theirs;
    }

    /// <summary>The exception for a wait for <paramref name="rank"/>, found in call <paramref name="theirs"/> by <see cref="AnotherCall"/>.</summary>
    private CollectiveMismatchException Mismatch(int rank, CollectiveSignature theirs, bool later) => new(
        Named(Rank),
        Signature,
        Named(rank),
        theirs,
        later
            ? $"Found while rank {Named(Rank)} waited for rank {Named(rank)} in shared memory: that rank went on to a later call without providing what this call waits for, so its call #{Signature.Sequence} was another."
            : $"Found while rank {Named(Rank)} waited for rank {Named(rank)} in shared memory.");

    /// <summary>The moment a wait that started <paramref name="now"/> next looks at announcements: an eighth of the timeout on, or the deadline.</summary>
    private long NextLook(long now)
    {
        if (!_verify)
        {
            return _deadline;
        }

        long eighth = (long)Math.Min(_timeout.TotalSeconds / 8 * Stopwatch.Frequency, long.MaxValue / 4);
        return Math.Min(_deadline, now + Math.Max(1, eighth));
    }
}
