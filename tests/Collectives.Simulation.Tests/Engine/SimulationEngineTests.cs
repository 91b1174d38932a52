using Collectives.Simulation.Engine;

namespace Collectives.Simulation.Tests.Engine;

public sealed class SimulationEngineTests
{
    [Test]
    public void EventsRunInTimeOrderWhateverTheOrderTheyWereScheduled()
    {
        var engine = new SimulationEngine();
        var seen = new List<long>();
        foreach (long time in new long[] { 50, 10, 40, 20, 30 })
        {
            engine.At(time, () => seen.Add(engine.Now));
        }

        engine.Run();

        Assert.That(seen, Is.EqualTo(new long[] { 10, 20, 30, 40, 50 }));
    }

    [Test]
    public void EventsDueAtTheSameTimeRunInTheOrderTheyWereScheduled()
    {
        var engine = new SimulationEngine();
        var seen = new List<int>();
        for (int i = 0; i < 100; i++)
        {
            int label = i;
            engine.At(7, () => seen.Add(label));
        }

        engine.Run();

        Assert.That(seen, Is.EqualTo(Enumerable.Range(0, 100)));
    }

    [Test]
    public void AnEventMayScheduleAnotherAtTheCurrentTimeAndItRunsAfterThoseAlreadyDue()
    {
        var engine = new SimulationEngine();
        var seen = new List<string>();
        engine.At(5, () =>
        {
            seen.Add("first");
            engine.At(5, () => seen.Add("scheduled by first"));
        });
        engine.At(5, () => seen.Add("second"));

        engine.Run();

        Assert.That(seen, Is.EqualTo(new[] { "first", "second", "scheduled by first" }));
    }

    [Test]
    public void SchedulingInThePastIsRejected()
    {
        var engine = new SimulationEngine();
        engine.At(100, () => engine.At(99, () => { }));

        Assert.That(engine.Run, Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("past"));
    }
}
