using Collectives.SubCommunicators;

namespace Collectives.Tests.SubCommunicators;

/// <summary>Who forms which communicator in a split, from the gathered (color, key) pairs alone.</summary>
public class SplitLayoutTests
{
    [Test]
    public void Ranks_of_one_color_are_ordered_by_key()
    {
        // rank:            0       1       2       3
        int[] pairs = [0, 30, 1, 5, 0, 10, 0, 20];

        Assert.That(SplitLayout.MembersOf(pairs, rank: 0), Is.EqualTo(new[] { 2, 3, 0 }));
    }

    [Test]
    public void Ranks_with_equal_keys_keep_their_order_in_the_parent()
    {
        int[] pairs = [4, 7, 4, 7, 4, -1, 4, 7];

        Assert.That(SplitLayout.MembersOf(pairs, rank: 3), Is.EqualTo(new[] { 2, 0, 1, 3 }));
    }

    [Test]
    public void A_rank_alone_in_its_color_forms_a_communicator_of_one()
    {
        int[] pairs = [0, 0, 1, 0, 0, 0];

        Assert.That(SplitLayout.MembersOf(pairs, rank: 1), Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void A_negative_color_joins_no_communicator_and_is_in_none([Values(-1, -7, int.MinValue)] int noColor)
    {
        int[] pairs = [noColor, 0, 3, 0, 3, 1];

        Assert.Multiple(() =>
        {
            Assert.That(SplitLayout.MembersOf(pairs, rank: 0), Is.Null);
            Assert.That(SplitLayout.MembersOf(pairs, rank: 2), Is.EqualTo(new[] { 1, 2 }));
        });
    }
}
