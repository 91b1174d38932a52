using Collectives.Transport.Security;
using Collectives.Transport.SharedMemory;

namespace Collectives.Transport.Tests.SharedMemory;

/// <summary>The shared-memory knobs read from the environment, and the settings refused.</summary>
public class SharedMemoryOptionsTests
{
    [Test]
    public async Task A_segment_is_oversubscribed_when_the_ranks_on_its_machine_outnumber_the_processors()
    {
        // Two ranks fit any machine here; the bootstrap counted more on the machine (other hosts' namespaces).
        var options = new SharedMemoryTransportOptions().ForMachine(Environment.ProcessorCount + 1);

        await using ShmJob job = await ShmJob.StartAsync(2, options);

        Assert.That(job.Ranks.Select(rank => rank.IsOversubscribed), Has.All.True);
    }

    [Test]
    public async Task A_segment_whose_ranks_fit_the_machine_is_not_oversubscribed()
    {
        await using ShmJob job = await ShmJob.StartAsync(2, new SharedMemoryTransportOptions().ForMachine(2));

        Assert.That(job.Ranks.Select(rank => rank.IsOversubscribed), Has.All.EqualTo(2 > Environment.ProcessorCount));
    }

    [Test]
    public void The_environment_sets_the_waiting_budgets_and_sizes()
    {
        var environment = new Dictionary<string, string>
        {
            [SharedMemoryTransportOptions.SpinVariable] = "5",
            [SharedMemoryTransportOptions.YieldVariable] = "250",
            [SharedMemoryTransportOptions.WindowVariable] = "64k",
            [SharedMemoryTransportOptions.RingVariable] = "1m",
        };

        SharedMemoryTransportOptions options = SharedMemoryTransportOptions.FromEnvironment(new SharedMemoryTransportOptions(), name => environment.GetValueOrDefault(name));

        Assert.That((options.SpinDuration, options.YieldDuration, options.WindowLength, options.RingCapacity),
            Is.EqualTo((TimeSpan.FromMicroseconds(5), TimeSpan.FromMicroseconds(250), 64 * 1024, 1 << 20)));
    }

    [Test]
    public void Unset_variables_keep_the_given_settings()
    {
        var defaults = new SharedMemoryTransportOptions { SpinDuration = TimeSpan.FromMicroseconds(7) };

        SharedMemoryTransportOptions options = SharedMemoryTransportOptions.FromEnvironment(defaults, _ => null);

        Assert.That(options.SpinDuration, Is.EqualTo(TimeSpan.FromMicroseconds(7)));
    }

    private static readonly string[] Variables =
    [
        SharedMemoryTransportOptions.SpinVariable, SharedMemoryTransportOptions.YieldVariable,
        SharedMemoryTransportOptions.OversubscribedSpinVariable, SharedMemoryTransportOptions.OversubscribedYieldVariable,
        SharedMemoryTransportOptions.WindowVariable, SharedMemoryTransportOptions.RingVariable,
    ];

    private static readonly string[] OutOfRange = ["NaN", "Infinity", "-Infinity", "-1", "1e20", "1e300"];

    [Test]
    public void A_variable_outside_its_range_is_an_ArgumentOutOfRangeException_naming_it_and_the_range(
        [ValueSource(nameof(Variables))] string variable, [ValueSource(nameof(OutOfRange))] string value)
    {
        Assert.That(() => SharedMemoryTransportOptions.FromEnvironment(new SharedMemoryTransportOptions(), name => name == variable ? value : null),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains($"{variable}='{value}' is out of range; it accepts ")
                .And.Property(nameof(ArgumentException.ParamName)).EqualTo(variable));
    }

    [Test]
    public void A_variable_that_is_not_a_number_is_a_FormatException_naming_it_and_the_range(
        [ValueSource(nameof(Variables))] string variable, [Values("lots", "0x10", "5 us")] string value)
    {
        Assert.That(() => SharedMemoryTransportOptions.FromEnvironment(new SharedMemoryTransportOptions(), name => name == variable ? value : null),
            Throws.TypeOf<FormatException>().With.Message.Contains($"{variable}='{value}' is not a number; it accepts "));
    }

    [TestCase(SharedMemoryTransportOptions.SpinVariable, "it accepts from 0 to 10000000 microseconds")]
    [TestCase(SharedMemoryTransportOptions.RingVariable, "it accepts a whole number from 4096 to 67108864 bytes (suffixes k and m allowed)")]
    [TestCase(SharedMemoryTransportOptions.WindowVariable, "it accepts a whole number from 8192 to 1073741824 bytes (suffixes k and m allowed)")]
    public void The_message_states_the_accepted_range(string variable, string range)
    {
        Assert.That(() => SharedMemoryTransportOptions.FromEnvironment(new SharedMemoryTransportOptions(), name => name == variable ? "1e20" : null),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains(range));
    }

    [Test]
    public void A_waiting_budget_set_in_code_beyond_its_range_is_refused_when_connecting()
    {
        var options = new SharedMemoryTransportOptions { SpinDuration = TimeSpan.MaxValue };

        Assert.That(async () => await SharedMemoryTransport.ConnectAsync(0, 1, JobCredentials.Generate("test"), new InMemoryRendezvousStore(), options, CancellationToken.None),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo(nameof(SharedMemoryTransportOptions.SpinDuration)));
    }

    [Test]
    public void A_ring_that_is_not_a_power_of_two_is_refused_when_connecting()
    {
        var options = new SharedMemoryTransportOptions { RingCapacity = 5000 };

        Assert.That(async () => await SharedMemoryTransport.ConnectAsync(0, 1, JobCredentials.Generate("test"), new InMemoryRendezvousStore(), options, CancellationToken.None),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("power of two"));
    }

    // Rings per segment: ranks x (ranks - 1); each gets the largest power of two within 16 MiB / rings,
    // from 128 KiB to 1 MiB: 2 ranks 8 MiB each -> 1 MiB; 5 ranks 819 KiB -> 512 KiB; 8 ranks 292 KiB -> 256 KiB;
    // 9 ranks 227 KiB -> 128 KiB; 12 ranks 124 KiB -> 128 KiB (the floor).
    [TestCase(1, 1 << 20)]
    [TestCase(2, 1 << 20)]
    [TestCase(4, 1 << 20)]
    [TestCase(5, 512 << 10)]
    [TestCase(6, 512 << 10)]
    [TestCase(8, 256 << 10)]
    [TestCase(9, 128 << 10)]
    [TestCase(12, 128 << 10)]
    [TestCase(64, 128 << 10)]
    public void By_default_the_ring_follows_the_ranks_sharing_the_segment(int ranks, int expected)
        => Assert.That(new SharedMemoryTransportOptions().RingCapacityFor(ranks), Is.EqualTo(expected));

    [TestCase(2)]
    [TestCase(64)]
    public void A_ring_capacity_that_is_set_is_used_whatever_the_rank_count(int ranks)
        => Assert.That(new SharedMemoryTransportOptions { RingCapacity = 8192 }.RingCapacityFor(ranks), Is.EqualTo(8192));

    [Test]
    public void The_ring_by_default_keeps_every_segment_s_rings_within_16_MiB()
    {
        var options = new SharedMemoryTransportOptions();
        for (int ranks = 2; ranks <= 256; ranks++)
        {
            long rings = (long)ranks * (ranks - 1) * options.RingCapacityFor(ranks);
            Assert.That(rings <= 16 << 20 || options.RingCapacityFor(ranks) == 128 << 10, Is.True, $"{ranks} ranks: {rings} bytes of rings");
        }
    }
}
