namespace Collectives.Tests.Correctness;

/// <summary>AllgatherV's part of the matrix (see <see cref="AllgatherVMatrix"/>), in-process; one generated test per case.</summary>
public class AllgatherVMatrixTests
{
    [TestCaseSource(typeof(AllgatherVMatrix), nameof(AllgatherVMatrix.Cases))]
    public Task AllgatherV_matches_its_contract(AllgatherVCase testCase) => AllgatherVMatrix.RunAndVerifyAsync(testCase);
}
