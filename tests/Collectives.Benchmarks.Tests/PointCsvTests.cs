using Collectives.CollBench;
using Collectives.CollBench.Comparison;

namespace Collectives.Benchmarks.Tests;

public class PointCsvTests
{
    [Test]
    public void Rows_in_the_shared_layout_are_read()
    {
        string csv = CsvReport.Header + "\nopenmpi,np2_shm,allreduce,4096,2,3.0,2.5,3.5,1.3\n";
        Assert.That(PointCsv.Parse(csv, "test"), Is.EqualTo(new[] { new MeasuredPoint("openmpi", "allreduce", 4096, 2, 3.5) }));
    }

    [Test]
    public void Output_without_the_header_is_rejected_naming_its_origin()
        => Assert.That(() => PointCsv.Parse("mpirun: not found\n", "np2_shm"), Throws.TypeOf<FormatException>().With.Message.StartsWith("np2_shm"));

    [Test]
    public void A_malformed_row_is_rejected_quoting_it()
        => Assert.That(
            () => PointCsv.Parse(CsvReport.Header + "\nopenmpi,np2_shm,allreduce,x,2,3,2,3,1\n", "test"),
            Throws.TypeOf<FormatException>().With.Message.Contains("openmpi,np2_shm,allreduce,x"));
}
