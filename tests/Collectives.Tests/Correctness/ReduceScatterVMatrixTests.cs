namespace Collectives.Tests.Correctness;

/// <summary>ReduceScatterV's part of the matrix (see <see cref="ReduceScatterVMatrix"/>), in-process; one generated test per case.</summary>
public class ReduceScatterVMatrixTests
{
    [TestCaseSource(typeof(ReduceScatterVMatrix), nameof(ReduceScatterVMatrix.Cases))]
    public Task ReduceScatterV_matches_its_contract(ReduceScatterVCase testCase) => ReduceScatterVMatrix.RunAndVerifyAsync(testCase);
}
