using Collectives.Launcher.Tests.Support;

namespace Collectives.Launcher.Tests;

public class ProgramKindTests
{
    private string _folder = string.Empty;

    [OneTimeSetUp]
    public void CreateProjects()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"collrun-projects-{Guid.NewGuid():N}");
        WriteProject("Hello", """System.Console.WriteLine($"hello from {System.Environment.GetEnvironmentVariable("COLLECTIVES_RANK")} args {string.Join(",", args)}");""");
        WriteProject("Broken", "this is not C#");
    }

    [OneTimeTearDown]
    public void DeleteProjects() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task A_dll_is_run_with_dotnet()
    {
        using CollrunRun run = await CollrunRun.RunAsync("-n", "2", CollrunRun.TestProgram, "say", "from a dll");

        Assert.That(await run.ExitCodeAsync(), Is.Zero, run.StandardError.Text);
        Assert.That(CollrunRun.RankLines(run.StandardOutput, 1), Is.EqualTo(new[] { "from a dll" }));
    }

    [Test]
    public async Task An_executable_is_run_as_it_is()
    {
        string apphost = Path.ChangeExtension(CollrunRun.TestProgram, OperatingSystem.IsWindows() ? ".exe" : null);
        Assert.That(File.Exists(apphost), Is.True, "the SDK built no native launcher for TestProgram");

        using CollrunRun run = await CollrunRun.RunAsync("-n", "2", apphost, "say", "from an executable");

        Assert.That(await run.ExitCodeAsync(), Is.Zero, run.StandardError.Text);
        Assert.That(CollrunRun.RankLines(run.StandardOutput, 0), Is.EqualTo(new[] { "from an executable" }));
    }

    [Test]
    public async Task A_project_folder_is_built_once_then_run()
    {
        using CollrunRun run = await CollrunRun.RunAsync("-n", "3", Path.Combine(_folder, "Hello"), "a", "b");

        Assert.That(await run.ExitCodeAsync(), Is.Zero, run.StandardError.Text);
        Assert.That(run.StandardError.Lines.Count(line => line.Contains("building", StringComparison.Ordinal)), Is.EqualTo(1), "built more than once");
        for (int rank = 0; rank < 3; rank++)
        {
            Assert.That(CollrunRun.RankLines(run.StandardOutput, rank), Is.EqualTo(new[] { $"hello from {rank} args a,b" }));
        }
    }

    [Test]
    public async Task A_project_file_that_does_not_build_is_reported_with_the_compiler_errors_and_nothing_starts()
    {
        using CollrunRun run = await CollrunRun.RunAsync("-n", "2", Path.Combine(_folder, "Broken", "Broken.csproj"));

        Assert.That(await run.ExitCodeAsync(), Is.EqualTo(1));
        Assert.That(run.StandardError.Text, Does.Contain("error CS").And.Contain("Broken.csproj failed (dotnet build exited with code"));
        Assert.That(run.StandardOutput.Text, Is.Empty);
    }

    [Test]
    public async Task A_missing_program_gives_127()
    {
        using CollrunRun run = await CollrunRun.RunAsync("-n", "2", "--", "no-such-program-anywhere", "x");

        Assert.That(await run.ExitCodeAsync(), Is.EqualTo(127));
        Assert.That(run.StandardError.Text, Does.Contain("collrun: cannot start 'no-such-program-anywhere'"));
    }

    [Test]
    public async Task A_missing_dll_and_a_folder_without_a_project_give_127()
    {
        using CollrunRun dll = await CollrunRun.RunAsync("-n", "1", Path.Combine(_folder, "missing.dll"));
        using CollrunRun folder = await CollrunRun.RunAsync("-n", "1", _folder);

        Assert.That(await dll.ExitCodeAsync(), Is.EqualTo(127));
        Assert.That(dll.StandardError.Text, Does.Contain("missing.dll' does not exist"));
        Assert.That(await folder.ExitCodeAsync(), Is.EqualTo(127));
        Assert.That(folder.StandardError.Text, Does.Contain("is a folder without a project file"));
    }

    private void WriteProject(string name, string program)
    {
        string folder = Path.Combine(_folder, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), program);
    }
}
