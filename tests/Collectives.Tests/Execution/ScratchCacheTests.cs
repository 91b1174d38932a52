using Collectives.Execution;

namespace Collectives.Tests.Execution;

/// <summary>
/// <see cref="ScratchCache.Prefault"/> leaves a written array of the length in a slot, so the first
/// call that rents one gets it without faulting pages in; the cache counts the bytes asked of it.
/// </summary>
public class ScratchCacheTests
{
    [Test]
    public void Prefault_keeps_an_array_of_at_least_the_length()
    {
        var cache = new ScratchCache();

        cache.Prefault(3000);

        Assert.That(cache.LongestKept, Is.GreaterThanOrEqualTo(3000));
    }

    [Test]
    public void Prefault_writes_the_whole_array_it_keeps()
    {
        var cache = new ScratchCache();
        byte[] used = new byte[4096];
        Array.Fill(used, (byte)0xA5);
        cache.Return(used);

        cache.Prefault(4096);

        byte[] rented = cache.Rent(4096);
        Assert.That(rented, Is.SameAs(used));
        Assert.That(rented, Has.All.EqualTo((byte)0));
    }

    [Test]
    public void Prefault_of_more_than_the_cache_keeps_rents_nothing()
    {
        var cache = new ScratchCache();

        cache.Prefault(ScratchCache.MaximumRetainedLength + 1);

        Assert.That((cache.LongestKept, cache.RequestedBytes), Is.EqualTo((0, 0L)));
    }

    [Test]
    public void Requested_bytes_count_the_lengths_asked_not_the_arrays_handed_out()
    {
        var cache = new ScratchCache();

        byte[] first = cache.Rent(100);
        cache.Return(first);
        byte[] second = cache.Rent(30);

        Assert.That(first, Has.Length.GreaterThan(100));
        Assert.That(cache.RequestedBytes, Is.EqualTo(130));
    }
}
