using System.Globalization;
using System.Text.RegularExpressions;

namespace Collectives.Tests.Samples;

/// <summary>
/// samples/DataParallelTraining, run as real rank processes: training over several ranks follows
/// the loss curve one rank follows alone (up to the order in which floating-point sums are
/// taken), and every rank ends with the same bits.
/// </summary>
[NonParallelizable]
[CancelAfter(180_000)]
public class DataParallelTrainingSampleTests
{
    /// <summary>How long ranks may take to start and train on a loaded machine: not a claim about speed.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(150);

    /// <summary>Small enough to train in seconds, big enough that the loss falls clearly.</summary>
    private static readonly string[] Small = ["--epochs", "3", "--samples", "2048", "--batch", "128", "--hidden", "32"];

    [TestCase(false)]
    [TestCase(true)]
    public async Task Two_ranks_follow_the_loss_curve_one_rank_follows_and_end_with_identical_parameters(bool sharded, CancellationToken cancellationToken)
    {
        double[] alone = await LossCurveAsync(size: 1, cancellationToken);
        double[] together = await LossCurveAsync(size: 2, cancellationToken, sharded ? "--sharded" : null);

        // Not bitwise: two ranks sum each gradient in another order than one rank does. The loss is
        // printed to four decimals, so the margin also covers a last digit rounded the other way.
        Assert.That(together, Is.EqualTo(alone).Within(0.05).Percent);
    }

    [Test]
    public async Task The_loss_falls_from_epoch_to_epoch(CancellationToken cancellationToken)
    {
        double[] curve = await LossCurveAsync(size: 2, cancellationToken);

        Assert.That(curve, Is.Ordered.Descending);
        Assert.That(curve[^1], Is.LessThan(curve[0] * 0.9));
    }

    [Test]
    public async Task An_unknown_argument_is_refused_with_the_usage_and_exit_code_2(CancellationToken cancellationToken)
    {
        using SampleJob job = SampleJob.Start("DataParallelTraining", 1, "--epoch", "3");
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(Patience);

        Assert.That(await job.ExitCodesAsync(patience.Token), Is.EqualTo(new[] { 2 }), job.Output);
        Assert.That(job.Output, Does.Contain("Unknown argument '--epoch'").And.Contain("Usage: DataParallelTraining"));
    }

    /// <summary>Trains on <paramref name="size"/> ranks (with <paramref name="option"/>, if any); checks each rank exits 0 saying its bits match the others'; returns rank 0's loss per epoch.</summary>
    private static async Task<double[]> LossCurveAsync(int size, CancellationToken cancellationToken, string? option = null)
    {
        using SampleJob job = SampleJob.Start("DataParallelTraining", size, option is null ? Small : [.. Small, option]);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(Patience);

        int[] exitCodes = await job.ExitCodesAsync(patience.Token);

        Assert.That(exitCodes, Has.All.EqualTo(0), job.Output);
        for (int rank = 0; rank < size; rank++)
        {
            Assert.That(job.Output, Does.Contain($"[{rank}] rank {rank}: final loss").And.Match($@"\[{rank}\] rank {rank}: .*identical on every rank: yes"), job.Output);
        }

        double[] curve = [.. Regex.Matches(job.Output, @"\[0\] epoch +\d+: loss (\d+\.\d+)").Select(match => double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))];
        Assert.That(curve, Has.Length.EqualTo(3), job.Output);
        return curve;
    }
}
