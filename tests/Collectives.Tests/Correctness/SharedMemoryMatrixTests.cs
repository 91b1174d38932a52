using Collectives.Tests.Support;

namespace Collectives.Tests.Correctness;

/// <summary>
/// The collectives with every rank mapping a real shared-memory segment: the shared-memory
/// algorithms over the heart of the matrix, and every algorithm (message-passing ones through the
/// transport's rings, shared-memory ones in its windows) over the pairwise matrix.
/// </summary>
[Category("SharedMemory")]
[Platform("Linux")]
public class SharedMemoryMatrixTests
{
    [TestCaseSource(typeof(HeartMatrix), nameof(HeartMatrix.SharedMemoryCases))]
    public Task Shared_memory_algorithm_matches_its_contract(CollectiveCase testCase) => CaseExecution.RunAndVerifyAsync(testCase, TestTransport.SharedMemory);

    [TestCaseSource(typeof(PairwiseMatrix), nameof(PairwiseMatrix.Cases))]
    public Task Pairwise_collective_over_shared_memory_matches_its_contract(CollectiveCase testCase) => CaseExecution.RunAndVerifyAsync(testCase, TestTransport.SharedMemory);

    [TestCaseSource(typeof(PairwiseMatrix), nameof(PairwiseMatrix.SharedMemoryCases))]
    public Task Pairwise_shared_memory_algorithm_matches_its_contract(CollectiveCase testCase) => CaseExecution.RunAndVerifyAsync(testCase, TestTransport.SharedMemory);

    [TestCaseSource(typeof(AllgatherVMatrix), nameof(AllgatherVMatrix.SharedMemoryCases))]
    public Task Shared_memory_allgatherv_matches_its_contract(AllgatherVCase testCase) => AllgatherVMatrix.RunAndVerifyAsync(testCase, TestTransport.SharedMemory);

    [TestCaseSource(typeof(ReduceScatterVMatrix), nameof(ReduceScatterVMatrix.SharedMemoryCases))]
    public Task Shared_memory_reduce_scatterv_matches_its_contract(ReduceScatterVCase testCase) => ReduceScatterVMatrix.RunAndVerifyAsync(testCase, TestTransport.SharedMemory);

    [TestCaseSource(typeof(RootedVMatrix), nameof(RootedVMatrix.SharedMemoryCases))]
    public Task Shared_memory_gatherv_or_scatterv_matches_its_contract(RootedVCase testCase) => RootedVMatrix.RunAndVerifyAsync(testCase, TestTransport.SharedMemory);

    [TestCaseSource(typeof(AlltoallVMatrix), nameof(AlltoallVMatrix.SharedMemoryCases))]
    public Task Shared_memory_alltoallv_matches_its_contract(AlltoallVCase testCase) => AlltoallVMatrix.RunAndVerifyAsync(testCase, TestTransport.SharedMemory);
}
