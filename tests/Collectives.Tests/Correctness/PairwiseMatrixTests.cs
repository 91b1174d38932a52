namespace Collectives.Tests.Correctness;

/// <summary>The pairwise part of the matrix (see <see cref="PairwiseMatrix"/>); one generated test per row.</summary>
public class PairwiseMatrixTests
{
    [TestCaseSource(typeof(PairwiseMatrix), nameof(PairwiseMatrix.Cases))]
    public Task Collective_matches_its_contract(CollectiveCase testCase) => CaseExecution.RunAndVerifyAsync(testCase);
}
