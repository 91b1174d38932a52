namespace Collectives.Tests.Correctness;

/// <summary>GatherV's and ScatterV's part of the matrix (see <see cref="RootedVMatrix"/>), in-process; one generated test per case.</summary>
public class RootedVMatrixTests
{
    [TestCaseSource(typeof(RootedVMatrix), nameof(RootedVMatrix.Cases))]
    public Task GatherV_or_ScatterV_matches_its_contract(RootedVCase testCase) => RootedVMatrix.RunAndVerifyAsync(testCase);
}
