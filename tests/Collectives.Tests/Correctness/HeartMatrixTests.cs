namespace Collectives.Tests.Correctness;

/// <summary>The full-product heart of the matrix (see <see cref="HeartMatrix"/>); one generated test per case.</summary>
public class HeartMatrixTests
{
    [TestCaseSource(typeof(HeartMatrix), nameof(HeartMatrix.Cases))]
    public Task Collective_matches_its_contract(CollectiveCase testCase) => CaseExecution.RunAndVerifyAsync(testCase);
}
