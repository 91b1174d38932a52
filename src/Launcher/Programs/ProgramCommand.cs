namespace Collectives.Launcher.Programs;

/// <summary>What to start for each rank: an executable and its arguments (for a .dll, <c>dotnet</c> and the .dll first).</summary>
/// <param name="FileName">The executable.</param>
/// <param name="Arguments">Its arguments.</param>
internal sealed record ProgramCommand(string FileName, IReadOnlyList<string> Arguments);
