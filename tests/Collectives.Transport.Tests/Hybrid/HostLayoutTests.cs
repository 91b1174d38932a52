using Collectives.Transport.Hybrid;

namespace Collectives.Transport.Tests.Hybrid;

/// <summary>The host layout numbers hosts by their lowest rank and knows each rank's place on its host.</summary>
public class HostLayoutTests
{
    [Test]
    public void Hosts_are_numbered_in_the_order_of_their_lowest_rank()
    {
        HostLayout layout = HostLayout.FromIdentities(["b/1", "a/1", "b/1", "c/1", "a/1"]);

        Assert.That(Enumerable.Range(0, 5).Select(layout.HostOf), Is.EqualTo(new[] { 0, 1, 0, 2, 1 }));
    }

    [Test]
    public void Each_rank_knows_its_place_among_its_hosts_ranks()
    {
        HostLayout layout = HostLayout.FromIdentities(["b", "a", "b", "c", "a", "b"]);

        Assert.That(Enumerable.Range(0, 6).Select(layout.LocalIndex), Is.EqualTo(new[] { 0, 0, 1, 0, 1, 2 }));
        Assert.That(layout.RanksOn(0).ToArray(), Is.EqualTo(new[] { 0, 2, 5 }));
    }

    [TestCase(new[] { 0, 0, 1, 1 }, true, 2)]
    [TestCase(new[] { 0, 0, 0, 1 }, false, 3)]
    [TestCase(new[] { 0, 1, 2 }, true, 1)]
    public void A_layout_knows_its_largest_host_and_whether_its_hosts_are_even(int[] hostOfRank, bool even, int largest)
    {
        var layout = new HostLayout(hostOfRank);

        Assert.That((layout.IsEven, layout.LargestHost), Is.EqualTo((even, largest)));
    }

    [Test]
    public void A_communicator_of_some_ranks_sees_their_hosts_numbered_anew_by_its_own_lowest_rank()
    {
        // Hosts 0: {0, 1}, 1: {2, 3, 4}, 2: {5}; the communicator is ranks 4, 1, 3 in that order.
        var job = new HostLayout([0, 0, 1, 1, 1, 2]);

        HostLayout restricted = job.Restrict([4, 1, 3]);

        Assert.That(Enumerable.Range(0, 3).Select(restricted.HostOf), Is.EqualTo(new[] { 0, 1, 0 }));
        Assert.That(restricted.RanksOn(0).ToArray(), Is.EqualTo(new[] { 0, 2 }));
    }

    [Test]
    public void Host_numbers_that_skip_or_do_not_follow_rank_order_are_refused()
        => Assert.That(() => new HostLayout([1, 0]), Throws.ArgumentException.With.Message.Contains("in the order of their lowest rank"));

    [Test]
    public void A_layout_describes_itself_by_its_hosts_sizes()
        => Assert.That(new HostLayout([0, 0, 0, 1]).ToString(), Is.EqualTo("2 hosts of 3, 1 ranks"));
}
