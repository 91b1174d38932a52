using Collectives.Catalog;
using Collectives.Execution;
using Collectives.Reduction;

namespace Collectives.Tests.Execution;

public class PlanCacheTests
{
    private static readonly CallShape Shape = new(CollectiveKind.Allreduce, ReduceOp.Sum, DataType.Of<float>(), Count: 2, Root: -1, Forced: 0);

    [Test]
    public void A_repeated_shape_finds_the_plan_made_for_it()
    {
        var cache = new PlanCache();
        CollectiveCall planned = CallOf(Shape);

        cache.Set(Shape, planned);

        Assert.That(cache.TryGet(Shape, out CollectiveCall found), Is.True);
        Assert.That(found, Is.EqualTo(planned));
    }

    [Test]
    public void A_shape_that_differs_in_any_argument_finds_nothing()
    {
        var cache = new PlanCache();
        cache.Set(Shape, CallOf(Shape));

        CallShape[] others =
        [
            Shape with { Kind = CollectiveKind.Reduce },
            Shape with { Op = ReduceOp.Max },
            Shape with { DataType = DataType.Of<double>() },
            Shape with { DataType = null },
            Shape with { Count = 3 },
            Shape with { Root = 0 },
            Shape with { Forced = (byte)AllreduceAlgorithm.Ring },
        ];

        Assert.That(others.Select(other => cache.TryGet(other, out _)), Is.All.False);
    }

    [Test]
    public void Past_its_capacity_a_collective_drops_its_oldest_shape_and_keeps_the_others()
    {
        var cache = new PlanCache();
        CallShape[] shapes = [.. Enumerable.Range(1, PlanCache.ShapesPerCollective + 1).Select(count => Shape with { Count = count })];

        foreach (CallShape shape in shapes)
        {
            cache.Set(shape, CallOf(shape));
        }

        Assert.That(cache.TryGet(shapes[0], out _), Is.False);
        Assert.That(shapes.Skip(1).Select(shape => cache.TryGet(shape, out CollectiveCall found) && found.Count == shape.Count), Is.All.True);
    }

    [Test]
    public void Shapes_of_other_collectives_do_not_displace_a_collectives_plans()
    {
        var cache = new PlanCache();
        cache.Set(Shape, CallOf(Shape));

        foreach (int count in Enumerable.Range(1, PlanCache.ShapesPerCollective + 1))
        {
            CallShape broadcast = Shape with { Kind = CollectiveKind.Broadcast, Op = 0, Root = 0, Count = count };
            cache.Set(broadcast, CallOf(broadcast));
        }

        Assert.That(cache.TryGet(Shape, out _), Is.True);
    }

    private static CollectiveCall CallOf(CallShape shape)
    {
        CollectiveAlgorithm algorithm = AlgorithmCatalog.Find(shape.Kind, 1)!;
        return new CollectiveCall(shape.Kind, shape.Op, shape.DataType, Kernel: null, shape.Count, shape.Root, algorithm, CallVerification.ByAlgorithm);
    }
}
