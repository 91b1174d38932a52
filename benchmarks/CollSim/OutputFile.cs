namespace Collectives.CollSim;

/// <summary>Writes a report file, creating its folder.</summary>
internal static class OutputFile
{
    public static void Write(string path, string text)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, text);
    }
}
