using Collectives.CollBench;

namespace Collectives.Benchmarks.Tests;

public class SizeListTests
{
    [Test]
    public void A_range_lists_every_power_of_two_between_its_bounds()
        => Assert.That(SizeList.Parse("8:64"), Is.EqualTo(new long[] { 8, 16, 32, 64 }));

    [Test]
    public void A_list_takes_binary_suffixes()
        => Assert.That(SizeList.Parse("8, 4k,16M"), Is.EqualTo(new long[] { 8, 4096, 16L << 20 }));

    [Test]
    public void A_size_that_is_not_whole_float32_elements_is_rejected_by_value()
        => Assert.That(() => SizeList.Parse("6"), Throws.TypeOf<FormatException>().With.Message.Contains("6 bytes"));

    [Test]
    public void An_empty_range_is_rejected()
        => Assert.That(() => SizeList.Parse("64:8"), Throws.TypeOf<FormatException>().With.Message.Contains("empty"));
}
