using Collectives.Tests.Support;

namespace Collectives.Tests.Correctness;

/// <summary>
/// The whole matrix (heart and pairwise) again, with the ranks connected by real loopback TCP
/// connections instead of memory: the algorithms must not depend on the transport.
/// </summary>
[Category("Tcp")]
public class TcpMatrixTests
{
    [TestCaseSource(typeof(HeartMatrix), nameof(HeartMatrix.Cases))]
    public Task Collective_over_tcp_matches_its_contract(CollectiveCase testCase) => CaseExecution.RunAndVerifyAsync(testCase, TestTransport.Tcp);

    [TestCaseSource(typeof(PairwiseMatrix), nameof(PairwiseMatrix.Cases))]
    public Task Pairwise_collective_over_tcp_matches_its_contract(CollectiveCase testCase) => CaseExecution.RunAndVerifyAsync(testCase, TestTransport.Tcp);

    [TestCaseSource(typeof(AllgatherVMatrix), nameof(AllgatherVMatrix.TcpCases))]
    public Task AllgatherV_over_tcp_matches_its_contract(AllgatherVCase testCase) => AllgatherVMatrix.RunAndVerifyAsync(testCase, TestTransport.Tcp);

    [TestCaseSource(typeof(ReduceScatterVMatrix), nameof(ReduceScatterVMatrix.TcpCases))]
    public Task ReduceScatterV_over_tcp_matches_its_contract(ReduceScatterVCase testCase) => ReduceScatterVMatrix.RunAndVerifyAsync(testCase, TestTransport.Tcp);

    [TestCaseSource(typeof(RootedVMatrix), nameof(RootedVMatrix.TcpCases))]
    public Task GatherV_or_ScatterV_over_tcp_matches_its_contract(RootedVCase testCase) => RootedVMatrix.RunAndVerifyAsync(testCase, TestTransport.Tcp);

    [TestCaseSource(typeof(AlltoallVMatrix), nameof(AlltoallVMatrix.TcpCases))]
    public Task AlltoallV_over_tcp_matches_its_contract(AlltoallVCase testCase) => AlltoallVMatrix.RunAndVerifyAsync(testCase, TestTransport.Tcp);
}
