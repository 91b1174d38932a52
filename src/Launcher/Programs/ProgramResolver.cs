using Collectives.Launcher.Output;

namespace Collectives.Launcher.Programs;

/// <summary>
/// Turns what the user named into what to start for each rank: a project folder or project
/// file is built once and its .dll run with <c>dotnet</c>; a .dll is run with <c>dotnet</c>;
/// anything else is an executable (looked up on PATH when it has no directory part).
/// </summary>
internal static class ProgramResolver
{
    private static readonly string[] ProjectExtensions = [".csproj", ".fsproj", ".vbproj"];

    public static async Task<ProgramCommand> ResolveAsync(string program, IReadOnlyList<string> arguments, PrefixedOutput output, CancellationToken cancellationToken)
    {
        if (Directory.Exists(program))
        {
            string[] projects = [.. ProjectExtensions.SelectMany(extension => Directory.GetFiles(program, "*" + extension)).Order(StringComparer.Ordinal)];
            return projects switch
            {
                [string project] => await RunBuiltAsync(project, arguments, output, cancellationToken).ConfigureAwait(false),
                [] => throw new CollrunException($"'{program}' is a folder without a project file (.csproj, .fsproj, .vbproj).", ExitCodes.CannotStart),
                _ => throw new CollrunException($"'{program}' holds several project files ({string.Join(", ", projects.Select(Path.GetFileName))}); name one.", ExitCodes.CannotStart),
            };
        }

        string extension = Path.GetExtension(program);
        if (ProjectExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            if (!File.Exists(program))
            {
                throw new CollrunException($"project '{program}' does not exist.", ExitCodes.CannotStart);
            }

            return await RunBuiltAsync(program, arguments, output, cancellationToken).ConfigureAwait(false);
        }

        if (string.Equals(extension, ".dll", StringComparison.OrdinalIgnoreCase))
        {
            if (!File.Exists(program))
            {
                throw new CollrunException($"'{program}' does not exist.", ExitCodes.CannotStart);
            }

            return Dll(Path.GetFullPath(program), arguments);
        }

        return new ProgramCommand(program, arguments);
    }

    private static async Task<ProgramCommand> RunBuiltAsync(string project, IReadOnlyList<string> arguments, PrefixedOutput output, CancellationToken cancellationToken)
        => Dll(await ProjectBuilder.BuildAsync(Path.GetFullPath(project), output, cancellationToken).ConfigureAwait(false), arguments);

    private static ProgramCommand Dll(string dll, IReadOnlyList<string> arguments) => new(DotnetHost.Path, [dll, .. arguments]);
}
