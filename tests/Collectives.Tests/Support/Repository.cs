namespace Collectives.Tests.Support;

/// <summary>The repository the tests were built from, for tests that check its documents.</summary>
internal static class Repository
{
    /// <summary>The folder that holds Collectives.sln, found upwards from the test binaries.</summary>
    public static string Root()
    {
        for (DirectoryInfo? directory = new(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Collectives.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Collectives.sln above {TestContext.CurrentContext.TestDirectory}.");
    }
}
