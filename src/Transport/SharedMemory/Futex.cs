using System.Runtime.InteropServices;

namespace Collectives.Transport.SharedMemory;

/// <summary>
/// Linux futexes on words of the shared segment: a sleeping rank waits in the kernel until a
/// peer changes the word and wakes it. Shared (not private) futexes, because the word is mapped
/// by several processes.
/// </summary>
internal static unsafe partial class Futex
{
    private const int FutexWait = 0;
    private const int FutexWake = 1;

    private static readonly long SyscallNumber = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 202,
        Architecture.Arm64 => 98,
        _ => -1,
    };

    /// <summary>Whether this platform has futexes; elsewhere sleeping falls back to short naps.</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && SyscallNumber > 0;

    /// <summary>Sleeps while <c>*word == expected</c>, for at most <paramref name="timeout"/>, or until woken.</summary>
    public static void Wait(int* word, int expected, TimeSpan timeout)
    {
        long nanoseconds = Math.Max(1000, (long)(timeout.TotalMilliseconds * 1_000_000));
        if (!IsSupported)
        {
            Thread.Sleep(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, nanoseconds / 100)));
            return;
        }

        var relative = new Timespec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };

        // EAGAIN (the word changed), EINTR and timeouts all just return: the caller re-checks.
        _ = syscall(SyscallNumber, word, FutexWait, expected, &relative, null, 0);
    }

    /// <summary>Wakes every thread sleeping on <paramref name="word"/>.</summary>
    public static void WakeAll(int* word)
    {
        if (IsSupported)
        {
            _ = syscall(SyscallNumber, word, FutexWake, int.MaxValue, null, null, 0);
        }
    }

    [LibraryImport("libc", SetLastError = false)]
    private static partial long syscall(long number, int* word, int operation, int value, Timespec* timeout, int* word2, int value3);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
