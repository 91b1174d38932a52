using Collectives.Launcher.Jobs;

namespace Collectives.Launcher.Tests;

public class CorePlanTests
{
    [Test]
    public void Auto_pins_each_rank_to_its_own_available_processor_when_there_are_enough()
        => Assert.That(CorePlan.For(CoreBinding.Auto, ranks: 2, available: [1, 3, 5]), Is.EqualTo(new[] { 1, 3 }));

    [Test]
    public void Auto_leaves_oversubscribed_ranks_unpinned()
        => Assert.That(CorePlan.For(CoreBinding.Auto, ranks: 4, available: [0, 1]), Is.Null);

    [Test]
    public void Auto_leaves_ranks_unpinned_on_a_single_processor()
        => Assert.That(CorePlan.For(CoreBinding.Auto, ranks: 1, available: [0]), Is.Null);

    [Test]
    public void Core_wraps_around_the_available_processors()
        => Assert.That(CorePlan.For(CoreBinding.Core, ranks: 5, available: [0, 2]), Is.EqualTo(new[] { 0, 2, 0, 2, 0 }));

    [Test]
    public void None_never_pins()
        => Assert.That(CorePlan.For(CoreBinding.None, ranks: 2, available: [0, 1]), Is.Null);

    [Test]
    public void Processors_this_process_may_use_include_the_one_it_runs_on()
        => Assert.That(CorePlan.AvailableProcessors(), Has.Count.InRange(1, Environment.ProcessorCount).And.Contains(Thread.GetCurrentProcessorId()));
}
