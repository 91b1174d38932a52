namespace Collectives.Launcher.Tests;

/// <summary>collrun as a per-node agent reads its place in the job from its options, else from Kubeflow Trainer v2's PET_* variables.</summary>
public class NodeLayoutTests
{
    private static readonly Dictionary<string, string> TrainerVariables = new()
    {
        ["PET_NNODES"] = "2",
        ["PET_NPROC_PER_NODE"] = "4",
        ["PET_NODE_RANK"] = "1",
        ["PET_MASTER_ADDR"] = "job-node-0-0.job",
        ["PET_MASTER_PORT"] = "29400",
    };

    [Test]
    public void Trainer_v2_variables_give_the_layout_when_no_option_does()
    {
        NodeLayout? layout = NodeLayout.Read(null, null, null, null, null, null, From(TrainerVariables));

        Assert.That(layout, Is.EqualTo(new NodeLayout(2, 1, 4, "job-node-0-0.job", 29400)));
    }

    [Test]
    public void Options_win_over_the_variables()
    {
        NodeLayout? layout = NodeLayout.Read(3, 2, "1", null, "head", 1234, From(TrainerVariables));

        Assert.That(layout, Is.EqualTo(new NodeLayout(3, 2, 1, "head", 1234)));
    }

    [Test]
    public void Minus_n_gives_the_ranks_per_node_over_the_variable()
        => Assert.That(NodeLayout.Read(null, null, null, 2, null, null, From(TrainerVariables))!.RanksPerNode, Is.EqualTo(2));

    [Test]
    public void Without_a_node_count_there_is_no_layout()
        => Assert.That(NodeLayout.Read(null, null, null, null, null, null, From([])), Is.Null);

    [Test]
    public void The_master_port_falls_back_to_MASTER_PORT_then_to_torchruns_29500()
    {
        Assert.That(NodeLayout.Read(2, 0, "1", null, "head", null, From(new() { ["MASTER_PORT"] = "4000" }))!.MasterPort, Is.EqualTo(4000));
        Assert.That(NodeLayout.Read(2, 0, "1", null, "head", null, From([]))!.MasterPort, Is.EqualTo(29500));
    }

    [Test]
    public void The_master_address_falls_back_to_MASTER_ADDR()
        => Assert.That(NodeLayout.Read(2, 0, "1", null, null, null, From(new() { ["MASTER_ADDR"] = "head" }))!.MasterAddress, Is.EqualTo("head"));

    [TestCase("auto")]
    [TestCase("cpu")]
    public void Ranks_per_node_auto_or_cpu_is_the_processor_count(string text)
        => Assert.That(NodeLayout.Read(1, null, text, null, null, null, From([]))!.RanksPerNode, Is.EqualTo(Environment.ProcessorCount));

    [Test]
    public void Global_ranks_follow_the_node_rank()
    {
        var layout = new NodeLayout(3, 2, 4, "head", 29500);

        Assert.That((layout.WorldSize, layout.GlobalRank(0), layout.GlobalRank(3)), Is.EqualTo((12, 8, 11)));
    }

    [Test]
    public void An_IPv6_master_address_is_bracketed_in_the_rendezvous()
        => Assert.That(new NodeLayout(2, 1, 1, "fd00::1", 29500).Rendezvous, Is.EqualTo("[fd00::1]:29500"));

    [Test]
    public void A_variable_that_is_no_number_is_a_usage_error_naming_it()
        => Assert.That(
            () => NodeLayout.Read(null, null, null, null, null, null, From(new() { ["PET_NNODES"] = "two" })),
            Throws.TypeOf<CollrunException>().With.Message.EqualTo("PET_NNODES='two' is not a whole number."));

    private static Func<string, string?> From(Dictionary<string, string> variables) => name => variables.GetValueOrDefault(name);
}
