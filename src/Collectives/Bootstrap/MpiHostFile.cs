namespace Collectives.Bootstrap;

/// <summary>
/// The host file mpirun was given (mpi-operator's MPIJob writes /etc/mpi/hostfile and points
/// <c>OMPI_MCA_orte_default_hostfile</c> at it): a host a line, as <c>host slots=4</c> or
/// <c>host:4</c>, <c>#</c> starting a comment. mpirun places rank 0 on its first host.
/// </summary>
internal static class MpiHostFile
{
    /// <summary>mpi-operator's host file, read when no variable names one.</summary>
    public const string OperatorPath = "/etc/mpi/hostfile";

    /// <summary>The variables that name mpirun's default host file (Open MPI 4, then 5's PRRTE).</summary>
    public static readonly IReadOnlyList<string> Variables = ["OMPI_MCA_orte_default_hostfile", "OMPI_MCA_rmaps_default_hostfile", "PRTE_MCA_rmaps_default_hostfile"];

    /// <summary>The host file's path: the first of <see cref="Variables"/> that is set, else <see cref="OperatorPath"/> when it exists; null when there is none.</summary>
    public static string? PathFrom(Func<string, string?> read)
        => Variables.Select(read).FirstOrDefault(path => path is not null) ?? (File.Exists(OperatorPath) ? OperatorPath : null);

    /// <summary>The first host named in the file at <paramref name="path"/>, or null when the file names none.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static string? FirstHost(string path)
        => File.ReadLines(path)
            .Select(line => line.Split('#', 2)[0].Trim())
            .Where(line => line.Length > 0)
            .Select(line => line.Split((char[])[' ', '\t'], 2)[0].Split(':', 2)[0])
            .FirstOrDefault(host => host.Length > 0);
}
