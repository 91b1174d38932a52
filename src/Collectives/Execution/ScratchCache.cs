using System.Buffers;

namespace Collectives.Execution;

/// <summary>
/// The scratch arrays one communicator reuses from call to call, so that algorithms' temporary
/// buffers cost nothing in steady state.
/// </summary>
/// <remarks>
/// <para>Why not only <see cref="ArrayPool{T}.Shared"/>: a call rents its scratch on the rank's
/// thread but usually returns it on the thread-pool thread that finished the call, and the shared
/// pool caches per thread first, so that hand-off misses it often and allocates. One communicator
/// runs one call at a time, so a few slots of its own always hit.</para>
/// <para>At most <see cref="Slots"/> arrays of at most <see cref="MaximumRetainedLength"/> bytes are
/// kept; larger or extra scratch comes from and goes back to the shared pool. Slots are taken and
/// filled with interlocked operations because rent and return happen on different threads.</para>
/// </remarks>
internal sealed class ScratchCache
{
    /// <summary>
    /// Arrays kept: the deepest nesting is two (Reduce's copy of the send buffer on a non-root,
    /// plus the algorithm's own scratch).
    /// </summary>
    public const int Slots = 2;

    /// <summary>
    /// Largest array kept, 64 MiB. A miss is not cheap beside moving the data: a large array the
    /// shared pool does not hand back is a fresh one, zeroed and faulted in page by page. Measured
    /// here (2 ranks over TCP, in-place Alltoall of 16 MiB blocks, whose 32 MiB copy of the send
    /// blocks went back to the pool on another thread): calls that missed took 155 ms, those that
    /// hit 20-30 ms. A communicator that made calls this large keeps at most <see cref="Slots"/>
    /// such arrays, no more than its own largest buffers; beyond 64 MiB the shared pool serves.
    /// </summary>
    public const int MaximumRetainedLength = 64 * 1024 * 1024;

    private readonly byte[]?[] _slots = new byte[Slots][];
    private long _requestedBytes;

    /// <summary>The bytes all calls of <see cref="Rent"/> so far asked for, the lengths asked, not the arrays' (<see cref="Prefault"/> counted too).</summary>
    public long RequestedBytes => Interlocked.Read(ref _requestedBytes);

    /// <summary>An array of at least <paramref name="length"/> bytes (exactly 0 when length is 0).</summary>
    public byte[] Rent(int length)
    {
        Interlocked.Add(ref _requestedBytes, length);
        if (length == 0)
        {
            return [];
        }

        for (int slot = 0; slot < _slots.Length; slot++)
        {
            byte[]? candidate = Volatile.Read(ref _slots[slot]);
            if (candidate is not null && candidate.Length >= length
                && Interlocked.CompareExchange(ref _slots[slot], null, candidate) == candidate)
            {
                return candidate;
            }
        }

        return ArrayPool<byte>.Shared.Rent(length);
    }

    /// <summary>
    /// Makes sure a slot holds an array of at least <paramref name="length"/> bytes whose every page
    /// has been written, so the first call that rents one does not fault its pages in: on a VM the
    /// first touch of a fresh page costs tens of µs (about 40 µs measured here), which for a few MiB
    /// is a first call several times slower than the next. Nothing when the cache would not keep
    /// such an array (longer than <see cref="MaximumRetainedLength"/>).
    /// </summary>
    public void Prefault(long length)
    {
        if (length > MaximumRetainedLength)
        {
            return;
        }

        byte[] array = Rent((int)length);

        // Writes, not reads: reading a fresh page maps the shared zero page and the first write faults again.
        array.AsSpan().Clear();
        Return(array);
    }

    /// <summary>Bytes of the longest array kept (0 when none).</summary>
    public int LongestKept
    {
        get
        {
            int longest = 0;
            for (int slot = 0; slot < _slots.Length; slot++)
            {
                longest = Math.Max(longest, Volatile.Read(ref _slots[slot])?.Length ?? 0);
            }

            return longest;
        }
    }

    /// <summary>Takes back an array from <see cref="Rent"/>.</summary>
    public void Return(byte[] array)
    {
        if (array.Length == 0)
        {
            return;
        }

        if (array.Length <= MaximumRetainedLength)
        {
            for (int slot = 0; slot < _slots.Length; slot++)
            {
                if (Interlocked.CompareExchange(ref _slots[slot], array, null) is null)
                {
                    return;
                }
            }

            // All slots full: keep the larger array, so the slots grow to fit the calls made.
            for (int slot = 0; slot < _slots.Length; slot++)
            {
                byte[]? kept = Volatile.Read(ref _slots[slot]);
                if (kept is not null && kept.Length < array.Length
                    && Interlocked.CompareExchange(ref _slots[slot], array, kept) == kept)
                {
                    array = kept;
                    break;
                }
            }
        }

        ArrayPool<byte>.Shared.Return(array);
    }
}
