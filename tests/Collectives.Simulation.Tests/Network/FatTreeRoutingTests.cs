using Collectives.Simulation.Network;

namespace Collectives.Simulation.Tests.Network;

public sealed class FatTreeRoutingTests
{
    [TestCase(0, 1, 2)]
    [TestCase(0, 15, 2)]
    [TestCase(0, 16, 4)]
    [TestCase(17, 255, 4)]
    [TestCase(0, 256, 6)]
    [TestCase(4095, 3, 6)]
    public void ARouteClimbsOnlyAsHighAsTheLowestSwitchAboveBothEnds(int source, int destination, int links)
    {
        var routing = new FatTreeRouting(4096, 16);

        Assert.That(routing.Route(source, destination, new int[routing.Diameter]), Is.EqualTo(links));
    }

    [Test]
    public void EveryRouteStartsOnTheSourceLinkEndsOnTheDestinationLinkAndUsesEachLinkOnce()
    {
        var routing = new FatTreeRouting(64, 4);
        var route = new int[routing.Diameter];
        for (int source = 0; source < 64; source++)
        {
            for (int destination = 0; destination < 64; destination++)
            {
                if (source == destination)
                {
                    continue;
                }

                int count = routing.Route(source, destination, route);
                int[] used = route[..count];
                Assert.That(used[0], Is.EqualTo(source));
                Assert.That(used[^1], Is.EqualTo(64 + destination));
                Assert.That(used.Distinct().Count(), Is.EqualTo(count));
                Assert.That(used.All(link => link >= 0 && link < routing.LinkCount), Is.True);
            }
        }
    }

    [Test]
    public void RoutesToDistinctDestinationsFromOneLeafSwitchLeaveByDistinctUpLinks()
    {
        // d-mod-k: a leaf's four nodes sending to four nodes under another leaf use four up links.
        var routing = new FatTreeRouting(16, 4);
        var route = new int[routing.Diameter];
        int[] upLinks = [.. Enumerable.Range(0, 4).Select(i =>
        {
            routing.Route(i, 4 + i, route);
            return route[1];
        })];

        Assert.That(upLinks.Distinct().Count(), Is.EqualTo(4));
    }
}
