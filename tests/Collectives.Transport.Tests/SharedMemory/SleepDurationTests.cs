using System.Diagnostics;
using Collectives.Transport.SharedMemory;

namespace Collectives.Transport.Tests.SharedMemory;

/// <summary>How long a wait sleeps for a number of Stopwatch ticks (<see cref="SegmentAttachment.Duration"/>).</summary>
public class SleepDurationTests
{
    [Test]
    public void An_hour_of_stopwatch_ticks_is_an_hour()
    {
        TimeSpan hour = SegmentAttachment.Duration(3600 * Stopwatch.Frequency);

        Assert.That(hour, Is.EqualTo(TimeSpan.FromHours(1)).Within(TimeSpan.FromMilliseconds(1)));
    }

    [Test]
    public void The_largest_tick_count_is_a_long_sleep_not_an_overflow()
    {
        Assert.That(SegmentAttachment.Duration(long.MaxValue), Is.GreaterThan(TimeSpan.FromDays(365)));
    }

    [TestCase(0L)]
    [TestCase(-5L)]
    public void No_ticks_is_the_shortest_sleep(long ticks)
    {
        Assert.That(SegmentAttachment.Duration(ticks), Is.EqualTo(TimeSpan.FromTicks(1)));
    }
}
