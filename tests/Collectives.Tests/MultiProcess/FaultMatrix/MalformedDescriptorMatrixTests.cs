using System.Globalization;
using Collectives.Transport;

namespace Collectives.Tests.MultiProcess.FaultMatrix;

/// <summary>
/// The fault matrix, the offload NIC: one rank's NIC sends malformed descriptors (an undefined
/// kind) to the others' NICs in the middle of a job over real processes. The call fails on every
/// other rank with a <see cref="ProtocolException"/> naming the sender (the receiving NIC's own,
/// or its abort notice), rather than a wrong result or a hang, and nothing is left behind.
/// </summary>
[Parallelizable(ParallelScope.None)]
[Category("MultiProcess")]
[Category("FaultMatrix")]
[Platform("Linux")]
public class MalformedDescriptorMatrixTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [TestCase(2)]
    [TestCase(4)]
    public async Task Malformed_descriptors_from_one_rank_fail_the_call_on_every_other_rank_naming_it(int size)
    {
        int corruptor = size - 1;

        FinishedJob job = await ProcessJob.RunAsync(new ProcessJobRun("nic", size, "corrupt-descriptors", Timeout)
        {
            Arguments = [corruptor.ToString(CultureInfo.InvariantCulture)],
        });

        Survivors.AssertEndedWith(job, "malformed descriptor", "nic", size, corruptor, nameof(ProtocolException), $"Rank {corruptor} sent", Timeout / 2);
    }
}
