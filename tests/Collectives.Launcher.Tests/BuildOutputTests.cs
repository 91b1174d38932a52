using Collectives.Launcher.Jobs;
using Collectives.Launcher.Programs;

namespace Collectives.Launcher.Tests;

public class BuildOutputTests
{
    private const string Result = """
        {
          "TargetResults": {
            "Build": {
              "Result": "Success",
              "Items": [ { "Identity": "/p/bin/Release/net10.0/App.dll", "FullPath": "/p/bin/Release/net10.0/App.dll" } ]
            }
          }
        }
        """;

    [Test]
    public void The_built_dll_is_read_from_the_build_result_even_after_a_banner()
    {
        Assert.That(ProjectBuilder.FindOutputAssembly("App.csproj", Result), Is.EqualTo("/p/bin/Release/net10.0/App.dll"));
        Assert.That(ProjectBuilder.FindOutputAssembly("App.csproj", "Welcome to .NET!\nTelemetry notice\n" + Result), Is.EqualTo("/p/bin/Release/net10.0/App.dll"));
    }

    [Test]
    public void A_build_that_reports_no_dll_or_several_is_an_error()
    {
        string none = Result.Replace("""{ "Identity": "/p/bin/Release/net10.0/App.dll", "FullPath": "/p/bin/Release/net10.0/App.dll" }""", string.Empty, StringComparison.Ordinal);
        string two = Result.Replace("""{ "Identity""", """{ "FullPath": "/p/a.dll" }, { "Identity""", StringComparison.Ordinal);

        Assert.That(Assert.Throws<CollrunException>(() => ProjectBuilder.FindOutputAssembly("App.csproj", none))!.Message, Does.Contain("produced no assembly"));
        Assert.That(Assert.Throws<CollrunException>(() => ProjectBuilder.FindOutputAssembly("App.csproj", two))!.Message, Does.Contain("collrun runs one .dll"));
        Assert.That(Assert.Throws<CollrunException>(() => ProjectBuilder.FindOutputAssembly("App.csproj", "no json here"))!.Message, Does.Contain("did not report"));
    }

    [TestCase(0, "exited with code 0")]
    [TestCase(3, "exited with code 3")]
    [TestCase(134, "was killed by SIGABRT (exit code 134)")]
    [TestCase(137, "was killed by SIGKILL (exit code 137)")]
    [TestCase(139, "was killed by SIGSEGV (exit code 139)")]
    [TestCase(200, "exited with code 200")]
    public void Exit_codes_are_described_with_the_signal_that_caused_them(int exitCode, string description)
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False);
        Assert.That(ExitDescription.Of(exitCode), Is.EqualTo(description));
    }
}
