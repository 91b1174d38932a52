using Collectives.Transport.Diagnostics;
using Collectives.Transport.Tests.Support;

namespace Collectives.Transport.Tests.Diagnostics;

/// <summary>Refused connections are logged one by one only up to a burst per window; the rest become one summary line per window.</summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class RefusalThrottleTests
{
    private readonly ManualClock _clock = new();
    private readonly List<(long Count, TimeSpan Span)> _summaries = [];
    private int _lines;

    [Test]
    public void The_first_five_refusals_of_a_window_are_logged_one_by_one_and_the_rest_only_counted()
    {
        RefusalThrottle throttle = Throttle();

        Refuse(throttle, 100);

        Assert.That(_lines, Is.EqualTo(5));
        Assert.That(_summaries, Is.Empty);
    }

    [Test]
    public void Stopping_logs_one_summary_of_the_refusals_counted_since_the_window_began()
    {
        RefusalThrottle throttle = Throttle();
        Refuse(throttle, 100);
        _clock.Advance(TimeSpan.FromSeconds(3));

        throttle.Flush();

        Assert.That(_summaries, Is.EqualTo(new[] { (95L, TimeSpan.FromSeconds(3)) }));
        Assert.That(_lines, Is.EqualTo(5));
    }

    [Test]
    public void The_first_refusal_after_a_window_summarises_that_window_and_starts_a_new_burst()
    {
        RefusalThrottle throttle = Throttle();
        Refuse(throttle, 20);
        _clock.Advance(TimeSpan.FromSeconds(10));

        Refuse(throttle, 7);

        Assert.That(_summaries, Is.EqualTo(new[] { (15L, TimeSpan.FromSeconds(10)) }));
        Assert.That(_lines, Is.EqualTo(10));
    }

    [Test]
    public void A_flood_that_lasts_gives_one_summary_line_per_window()
    {
        RefusalThrottle throttle = Throttle();
        for (int second = 0; second < 60; second++)
        {
            Refuse(throttle, 1000);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        throttle.Flush();

        Assert.That(_summaries.Select(summary => summary.Count), Is.EqualTo(Enumerable.Repeat(10_000L - 5, 6)));
        Assert.That(_lines, Is.EqualTo(30));
    }

    [Test]
    public void Refusals_within_the_burst_need_no_summary()
    {
        RefusalThrottle throttle = Throttle();
        Refuse(throttle, 5);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Refuse(throttle, 5);

        throttle.Flush();

        Assert.That(_summaries, Is.Empty);
        Assert.That(_lines, Is.EqualTo(10));
    }

    private RefusalThrottle Throttle() => new((count, span) => _summaries.Add((count, span)), _clock);

    private void Refuse(RefusalThrottle throttle, int count)
    {
        for (int i = 0; i < count; i++)
        {
            throttle.Refused(() => _lines++);
        }
    }
}
