using Collectives.Launcher.Programs;
using Collectives.Launcher.Tests.Support;

namespace Collectives.Launcher.Tests;

public class OffloadReferenceTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("collrun-offload-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task Nic_for_a_program_without_Collectives_Offload_is_refused_once_before_any_rank_starts()
    {
        using CollrunRun run = await CollrunRun.RunTestProgramAsync(2, ["--transport", "nic"], "say", "started", "connect");

        Assert.That(await run.ExitCodeAsync(), Is.EqualTo(2));
        Assert.That(run.StandardError.Lines, Has.One.Contains("--transport nic").And.Contains("TestProgram.dll does not reference").And.Contains("Collectives.Offload"));
        Assert.That(run.StandardOutput.Text, Is.Empty);
    }

    [Test]
    public void A_dll_with_Collectives_Offload_beside_it_can_use_nic()
    {
        string app = Dll("App");
        File.WriteAllText(Path.Combine(_folder, "Collectives.Offload.dll"), string.Empty);

        Assert.That(OffloadReference.Problem(new ProgramCommand(DotnetHost.Path, [app])), Is.Null);
    }

    [Test]
    public void A_dll_whose_deps_json_lists_Collectives_Offload_can_use_nic()
    {
        string app = Dll("App");
        File.WriteAllText(Path.Combine(_folder, "App.deps.json"), """{ "libraries": { "App/1.0.0": {}, "Collectives.Offload/0.1.0": { "type": "package" } } }""");

        Assert.That(OffloadReference.Problem(new ProgramCommand(DotnetHost.Path, [app])), Is.Null);
    }

    [Test]
    public void A_dll_whose_deps_json_lacks_it_cannot()
    {
        string app = Dll("App");
        File.WriteAllText(Path.Combine(_folder, "App.deps.json"), """{ "libraries": { "App/1.0.0": {}, "Collectives/0.1.0": { "type": "package" } } }""");

        Assert.That(OffloadReference.Problem(new ProgramCommand(DotnetHost.Path, [app])), Does.Contain("App.dll does not reference").And.Contain("nor in its deps.json"));
    }

    [Test]
    public void An_apphost_is_judged_by_the_dll_beside_it()
    {
        string app = Dll("App");
        string host = Path.Combine(_folder, "App");
        File.WriteAllText(host, string.Empty);
        File.WriteAllText(Path.Combine(_folder, "App.runtimeconfig.json"), "{}");

        Assert.That(OffloadReference.Problem(new ProgramCommand(host, [])), Does.Contain("App.dll does not reference"));
    }

    [Test]
    public void A_program_collrun_cannot_see_into_is_left_to_its_ranks()
        => Assert.That(OffloadReference.Problem(new ProgramCommand("some-native-tool", ["--flag"])), Is.Null);

    private string Dll(string name)
    {
        string path = Path.Combine(_folder, name + ".dll");
        File.WriteAllText(path, string.Empty);
        return path;
    }
}
