using Collectives.CollBench;

namespace Collectives.Benchmarks.Tests;

public class IterationPlanTests
{
    [Test]
    public void Small_messages_get_osu_counts()
        => Assert.That((IterationPlan.WarmUp(8, 1), IterationPlan.Timed(8, 1)), Is.EqualTo((200, 1000)));

    [Test]
    public void Large_messages_get_osu_counts()
        => Assert.That((IterationPlan.WarmUp(1 << 20, 1), IterationPlan.Timed(1 << 20, 1)), Is.EqualTo((10, 100)));

    [Test]
    public void The_budget_caps_the_timed_count()
        => Assert.That(IterationPlan.WithinBudget(1000, perCallSeconds: 0.01, TimeSpan.FromSeconds(1)), Is.EqualTo(100));

    [Test]
    public void A_slow_point_still_gets_the_minimum_count()
        => Assert.That(IterationPlan.WithinBudget(100, perCallSeconds: 10, TimeSpan.FromSeconds(1)), Is.EqualTo(5));
}
