using System.Runtime.InteropServices;
using Collectives.CollBench.FirstCalls;

namespace Collectives.Benchmarks.Tests;

/// <summary>The costs collbench --first-calls reads around each call come from the process's own counters.</summary>
[Platform("Linux")]
public class FirstCallCostsTests
{
    private const int Pages = 1024;

    [Test]
    public unsafe void Touching_fresh_memory_counts_its_pages_as_minor_faults()
    {
        // A fresh anonymous mapping, not malloc (which may hand back pages it already touched),
        // with huge pages refused, so each page's first write is one minor fault.
        nuint bytes = (nuint)(Pages * Environment.SystemPageSize);
        byte* memory = FreshMapping.Map(bytes);
        try
        {
            FirstCallCosts before = FirstCallCosts.Now();
            for (int page = 0; page < Pages; page++)
            {
                memory[page * Environment.SystemPageSize] = 1;
            }

            FirstCallCosts costs = FirstCallCosts.Now() - before;
            Assert.That(costs.MinorFaults, Is.GreaterThanOrEqualTo(Pages), "pages first touched");
        }
        finally
        {
            FreshMapping.Unmap(memory, bytes);
        }
    }

    [Test]
    public void Work_on_this_thread_shows_as_user_processor_time()
    {
        FirstCallCosts before = FirstCallCosts.Now();
        double sum = 0;
        for (int i = 0; i < 50_000_000 && sum >= 0; i++)
        {
            sum += Math.Sqrt(i);
        }

        FirstCallCosts costs = FirstCallCosts.Now() - before;
        Assert.That(costs.UserCpuUs, Is.GreaterThan(0), $"a loop of square roots (sum {sum:E2})");
    }
}

/// <summary>mmap and munmap of private anonymous memory on 64-bit Linux.</summary>
internal static unsafe partial class FreshMapping
{
    private const int ReadWrite = 0x1 | 0x2;
    private const int PrivateAnonymous = 0x02 | 0x20;
    private const int NoHugePages = 15;

    public static byte* Map(nuint bytes)
    {
        void* memory = MapMemory(null, bytes, ReadWrite, PrivateAnonymous, -1, 0);
        if (memory == (void*)-1)
        {
            throw new InvalidOperationException($"mmap of {bytes} bytes failed: errno {Marshal.GetLastPInvokeError()}.");
        }

        _ = Advise(memory, bytes, NoHugePages);
        return (byte*)memory;
    }

    public static void Unmap(byte* memory, nuint bytes) => _ = UnmapMemory(memory, bytes);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* MapMemory(void* address, nuint length, int protection, int flags, int descriptor, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int UnmapMemory(void* address, nuint length);

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Advise(void* address, nuint length, int advice);
}
