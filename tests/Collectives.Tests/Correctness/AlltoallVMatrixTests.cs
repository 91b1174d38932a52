namespace Collectives.Tests.Correctness;

/// <summary>AlltoallV's part of the matrix (see <see cref="AlltoallVMatrix"/>), in-process; one generated test per case.</summary>
public class AlltoallVMatrixTests
{
    [TestCaseSource(typeof(AlltoallVMatrix), nameof(AlltoallVMatrix.Cases))]
    public Task AlltoallV_matches_its_contract(AlltoallVCase testCase) => AlltoallVMatrix.RunAndVerifyAsync(testCase);

    [Test]
    public void Forcing_Bruck_on_an_alltoallv_throws_NotSupportedException_since_it_needs_equal_blocks()
    {
        using Communicator communicator = Communicator.CreateLocal(1)[0];

        Assert.That(() => communicator.AlltoallV<int>(new int[2], [2], new int[2], [2], AlltoallAlgorithm.Bruck), Throws.TypeOf<NotSupportedException>());
    }
}
