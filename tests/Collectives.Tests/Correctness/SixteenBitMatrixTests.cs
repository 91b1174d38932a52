using Collectives.Tests.Support;

namespace Collectives.Tests.Correctness;

/// <summary>Half and BFloat16 through every algorithm (see <see cref="SixteenBitMatrix"/>); one generated test per case.</summary>
public class SixteenBitMatrixTests
{
    [TestCaseSource(typeof(SixteenBitMatrix), nameof(SixteenBitMatrix.Cases))]
    public Task Collective_of_16_bit_floats_matches_its_contract(CollectiveCase testCase) => CaseExecution.RunAndVerifyAsync(testCase);

    [TestCaseSource(typeof(SixteenBitMatrix), nameof(SixteenBitMatrix.SharedMemoryCases))]
    [Category("SharedMemory")]
    [Platform("Linux")]
    public Task Shared_memory_collective_of_16_bit_floats_matches_its_contract(CollectiveCase testCase) => CaseExecution.RunAndVerifyAsync(testCase, TestTransport.SharedMemory);
}
