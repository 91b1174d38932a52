using System.Runtime.InteropServices;

namespace Collectives.Transport.SharedMemory;

/// <summary>
/// Maps every page of a rank's view of the segment at connect, so collectives do not pay the page
/// faults. Each process's mapping faults on the first touch of each page (and the first toucher of
/// a page of /dev/shm also allocates and zeroes it): a fresh job's first 16 MiB allreduce on two ranks
/// took hundreds of faults, a few milliseconds, on top of its own time. Linux 5.14's
/// <c>madvise(MADV_POPULATE_WRITE)</c> maps the range in one call without changing its contents,
/// so peers already using their lines are undisturbed; on older kernels each page is read once
/// instead (a read fault on a shared writable mapping of tmpfs maps the page writable).
/// Populating commits the whole segment (rings grow with the square of the rank count), so a
/// segment above <see cref="MaximumLength"/> is left to fault lazily.
/// </summary>
internal static unsafe partial class SegmentPrefault
{
    private const int PopulateWrite = 23;
    private const int InvalidArgument = 22;
    private const int Page = 4096;

    /// <summary>The largest segment populated at connect: 256 MiB, e.g. 8 ranks with 16 MiB windows, or 32 with the defaults (128 MiB of rings, 32 MiB of windows).</summary>
    public const long MaximumLength = 256L << 20;

    /// <summary>Maps <paramref name="length"/> bytes from the page-aligned <paramref name="start"/> into this process.</summary>
    public static void Populate(byte* start, long length)
    {
        if (length > MaximumLength)
        {
            return;
        }

        if (OperatingSystem.IsLinux() && (madvise(start, (nuint)length, PopulateWrite) == 0 || Marshal.GetLastPInvokeError() != InvalidArgument))
        {
            // Done, or refused for a reason other than an old kernel (EFAULT: /dev/shm is too small
            // for the segment); then the pages are left to fault where a collective touches them,
            // as before, rather than touched here, which would raise the SIGBUS now.
            return;
        }

        // EINVAL before Linux 5.14 (or not Linux): touch each page by reading it. A read changes nothing a peer wrote.
        for (long offset = 0; offset < length; offset += Page)
        {
            _ = Volatile.Read(ref start[offset]);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int madvise(byte* address, nuint length, int advice);
}
