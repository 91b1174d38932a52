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
        // mmap'd memory the kernel has not backed yet: each page's first write is one minor fault
        // (no huge pages: this machine's transparent huge pages are "madvise", and malloc does not ask).
        nuint bytes = (nuint)(Pages * Environment.SystemPageSize);
        byte* memory = (byte*)NativeMemory.Alloc(bytes);
        try
        {
            FirstCallCosts before = FirstCallCosts.Now();
            for (int page = 0; page < Pages; page++)
            {
                memory[page * Environment.SystemPageSize] = 1;
            }

            FirstCallCosts costs = FirstCallCosts.Now() - before;
            Assert.That(costs.MinorFaults, Is.GreaterThanOrEqualTo(Pages / 2), "pages first touched");
        }
        finally
        {
            NativeMemory.Free(memory);
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
