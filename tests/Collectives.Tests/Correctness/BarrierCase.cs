using System.Globalization;
using Collectives.Catalog;

namespace Collectives.Tests.Correctness;

/// <summary>One generated barrier test; its <see cref="ToString"/> is the test name.</summary>
/// <param name="Algorithm">The barrier algorithm, forced through <see cref="CommunicatorOptions.Algorithms"/>.</param>
/// <param name="Ranks">Number of ranks.</param>
/// <param name="Api">Blocking or asynchronous API.</param>
public sealed record BarrierCase(BarrierAlgorithm Algorithm, int Ranks, ApiStyle Api)
{
    /// <summary>
    /// Every barrier algorithm of the catalog but offload (which needs an engine and has its own
    /// tests) on every rank count of the matrix, through both API forms.
    /// </summary>
    public static IEnumerable<TestCaseData> Cases() =>
        from algorithm in AlgorithmCatalog.Of(CollectiveKind.Barrier).Where(row => row.Model != ExecutionModel.Offload).Select(row => (BarrierAlgorithm)row.Value)
        from ranks in HeartMatrix.RankCounts
        from api in Enum.GetValues<ApiStyle>()
        let testCase = new BarrierCase(algorithm, ranks, api)
        select new TestCaseData(testCase).SetName(testCase.ToString());

    /// <summary>For example <c>Barrier_Dissemination_on_5_ranks_async_releases_no_rank_before_every_rank_entered</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"Barrier_{Algorithm}_on_{Ranks}_rank{(Ranks == 1 ? string.Empty : "s")}{(Api == ApiStyle.Async ? "_async" : string.Empty)}_releases_no_rank_before_every_rank_entered");
}
