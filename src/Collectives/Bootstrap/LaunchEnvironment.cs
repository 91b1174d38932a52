using System.Globalization;

namespace Collectives.Bootstrap;

/// <summary>
/// Reads rank, size, local rank, the rendezvous address and the job's credentials from whichever
/// launcher started this process. Sources are tried in this order, and the first whose rank and
/// size variables are present wins:
/// <list type="number">
/// <item>collrun: <c>COLLECTIVES_RANK</c>, <c>COLLECTIVES_SIZE</c>, <c>COLLECTIVES_LOCAL_RANK</c>, <c>COLLECTIVES_RENDEZVOUS</c> (collrun hosts the server).</item>
/// <item>Open MPI: <c>OMPI_COMM_WORLD_RANK</c>, <c>OMPI_COMM_WORLD_SIZE</c>, <c>OMPI_COMM_WORLD_LOCAL_RANK</c>.</item>
/// <item>MPICH Hydra (PMI): <c>PMI_RANK</c>, <c>PMI_SIZE</c>, <c>MPI_LOCALRANKID</c>.</item>
/// <item>Slurm: <c>SLURM_PROCID</c>, <c>SLURM_NTASKS</c>, <c>SLURM_LOCALID</c>.</item>
/// <item>torchrun / Kubernetes training operators: <c>RANK</c>, <c>WORLD_SIZE</c>, <c>LOCAL_RANK</c>.</item>
/// </list>
/// Under sources 2-5 the rendezvous address is <c>COLLECTIVES_RENDEZVOUS</c> if set, else
/// <c>MASTER_ADDR</c>:<c>MASTER_PORT</c>, else (Slurm, Open MPI) the first host of the job's node
/// list or host file with <c>MASTER_PORT</c> or a port derived from the job id; rank 0 hosts the
/// server there. A local-rank variable that is absent means local rank 0. See docs/launching.md.
/// </summary>
public static class LaunchEnvironment
{
    private const string CollrunName = "collrun";

    /// <summary>Detects the launch from this process's environment variables.</summary>
    /// <returns>What the launcher said.</returns>
    /// <exception cref="BootstrapException">No launcher's variables are present, or they are incomplete or contradictory.</exception>
    public static LaunchInfo Detect() => Detect(Environment.GetEnvironmentVariable);

    /// <summary>Detects the launch from the given variables (tests pass a dictionary's lookup).</summary>
    /// <param name="getVariable">Returns a variable's value, or null when it is not set.</param>
    /// <returns>What the launcher said.</returns>
    /// <exception cref="BootstrapException">No launcher's variables are present, or they are incomplete or contradictory.</exception>
    public static LaunchInfo Detect(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);

        // Blank counts as unset, and stray whitespace (a YAML manifest's, a shell's) is ignored.
        string? Read(string name) => getVariable(name)?.Trim() is { Length: > 0 } value ? value : null;

        string? secret = ReadSecret(Read);
        string? transport = Read(LaunchVariables.Transport);

        if (Read(LaunchVariables.Rank) is not null || Read(LaunchVariables.Size) is not null)
        {
            return DetectCollrun(Read, secret, transport);
        }

        foreach (ForeignLauncher launcher in ForeignLauncher.InPrecedenceOrder)
        {
            if (Read(launcher.RankVariable) is not null || Read(launcher.SizeVariable) is not null)
            {
                return DetectForeign(launcher, Read, secret, transport);
            }
        }

        List<string> looked = [LaunchVariables.Rank, LaunchVariables.Size];
        string pairs = $"{LaunchVariables.Rank}/{LaunchVariables.Size} ({CollrunName})";
        foreach (ForeignLauncher launcher in ForeignLauncher.InPrecedenceOrder)
        {
            looked.Add(launcher.RankVariable);
            looked.Add(launcher.SizeVariable);
            pairs += $", {launcher.RankVariable}/{launcher.SizeVariable} ({launcher.DisplayName})";
        }

        throw new BootstrapException(
            $"No launcher detected: none of these rank/size variables is set: {pairs}. Start the program with collrun "
            + "(collrun -n 4 -- <program>), mpirun, srun or torchrun, or use Communicator.CreateLocal for ranks inside one process.",
            looked);
    }

    private static LaunchInfo DetectCollrun(Func<string, string?> read, string? secret, string? transport)
    {
        (int rank, int size, int localRank) = ReadRankAndSize(read, CollrunName, LaunchVariables.Rank, LaunchVariables.Size, LaunchVariables.LocalRank);

        // collrun strips other launchers' rank variables from its children, so a disagreeing one
        // means COLLECTIVES_* leaked into a job another launcher started: refuse rather than guess.
        foreach (ForeignLauncher other in ForeignLauncher.InPrecedenceOrder)
        {
            CheckAgreement(read, LaunchVariables.Rank, rank, other.RankVariable, other);
            CheckAgreement(read, LaunchVariables.Size, size, other.SizeVariable, other);
        }

        string? address = read(LaunchVariables.Rendezvous);
        if (address is null)
        {
            throw new BootstrapException(
                $"{CollrunName}: {LaunchVariables.Rank} and {LaunchVariables.Size} are set but {LaunchVariables.Rendezvous} (host:port of the rendezvous server collrun hosts) is not. "
                + $"Start the program with collrun, or under another launcher unset the {LaunchVariables.Rank}/{LaunchVariables.Size} variables.",
                [LaunchVariables.Rank, LaunchVariables.Size, LaunchVariables.Rendezvous]);
        }

        (string host, int port) = ParseRendezvous(address);
        string jobId = read(LaunchVariables.JobId) ?? FallbackJobId(CollrunName, host, port, size);
        return new LaunchInfo(LauncherKind.Collrun, rank, size, localRank, host, port, HostsRendezvous: false, jobId, secret, transport);
    }

    private static LaunchInfo DetectForeign(ForeignLauncher launcher, Func<string, string?> read, string? secret, string? transport)
    {
        (int rank, int size, int localRank) = ReadRankAndSize(read, launcher.DisplayName, launcher.RankVariable, launcher.SizeVariable, launcher.LocalRankVariable);
        string? launcherJobId = read(LaunchVariables.JobId) ?? launcher.ReadJobId(read);
        (string host, int port) = ReadForeignRendezvous(read, launcher, launcherJobId);
        string jobId = launcherJobId ?? FallbackJobId(launcher.Kind.ToString().ToLowerInvariant(), host, port, size);
        return new LaunchInfo(launcher.Kind, rank, size, localRank, host, port, HostsRendezvous: rank == 0, jobId, secret, transport);
    }

    private static (int Rank, int Size, int LocalRank) ReadRankAndSize(Func<string, string?> read, string launcher, string rankVariable, string sizeVariable, string localRankVariable)
    {
        string? rankText = read(rankVariable);
        string? sizeText = read(sizeVariable);
        if (rankText is null || sizeText is null)
        {
            (string present, string missing, string? value) = rankText is null ? (sizeVariable, rankVariable, sizeText) : (rankVariable, sizeVariable, rankText);
            throw new BootstrapException(
                $"{launcher}: {present} is set ('{value}') but {missing} is not; both are needed to know this process's rank and the number of ranks.",
                [rankVariable, sizeVariable]);
        }

        int size = ParseCount(launcher, sizeVariable, sizeText);
        if (size < 1)
        {
            throw new BootstrapException($"{launcher}: {sizeVariable}={sizeText} must be at least 1.", [sizeVariable]);
        }

        int rank = ParseCount(launcher, rankVariable, rankText);
        if (rank >= size)
        {
            throw new BootstrapException(
                $"{launcher}: {rankVariable}={rank} is not below {sizeVariable}={size} (ranks are 0 to {size - 1}).",
                [rankVariable, sizeVariable]);
        }

        int localRank = 0;
        if (read(localRankVariable) is { } localText)
        {
            localRank = ParseCount(launcher, localRankVariable, localText);
            if (localRank >= size)
            {
                throw new BootstrapException(
                    $"{launcher}: {localRankVariable}={localRank} is not below {sizeVariable}={size}.",
                    [localRankVariable, sizeVariable]);
            }
        }

        return (rank, size, localRank);
    }

    private static int ParseCount(string launcher, string variable, string text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            throw new BootstrapException($"{launcher}: {variable}='{text}' is not a non-negative integer.", [variable]);
        }

        return value;
    }

    private static void CheckAgreement(Func<string, string?> read, string ourVariable, int ours, string theirVariable, ForeignLauncher other)
    {
        // Only another launcher that is really there (both its variables set) counts, and only a
        // number: a generic name such as RANK may hold anything in a user's shell.
        if (read(other.RankVariable) is null || read(other.SizeVariable) is null
            || !int.TryParse(read(theirVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int theirs) || theirs == ours)
        {
            return;
        }

        throw new BootstrapException(
            $"{CollrunName}: {ourVariable}={ours} disagrees with {theirVariable}={theirs} set by {other.DisplayName}. Both launchers' variables are present; "
            + $"under {other.DisplayName} do not export {ourVariable}, or under collrun unset {theirVariable}.",
            [ourVariable, theirVariable]);
    }

    private static (string Host, int Port) ReadForeignRendezvous(Func<string, string?> read, ForeignLauncher launcher, string? jobId)
    {
        if (read(LaunchVariables.Rendezvous) is { } address)
        {
            return ParseRendezvous(address);
        }

        string? masterAddress = read(LaunchVariables.MasterAddress);
        string? masterPort = read(LaunchVariables.MasterPort);

        // Without MASTER_ADDR, the launcher's own description of the job names rank 0's host.
        if (masterAddress is null && launcher.ReadFirstHost?.Invoke(read) is { } firstHost)
        {
            masterAddress = firstHost;
            masterPort ??= DerivedPort(jobId).ToString(CultureInfo.InvariantCulture);
        }

        if (masterAddress is null && masterPort is null)
        {
            throw new BootstrapException(
                $"{launcher.DisplayName} gives rank and size ({launcher.RankVariable}, {launcher.SizeVariable}) but no rendezvous address: "
                + $"set {LaunchVariables.Rendezvous}=host:port, or {LaunchVariables.MasterAddress} and {LaunchVariables.MasterPort}, to an address every rank can reach; "
                + "rank 0 hosts the rendezvous server on that port (for example: export MASTER_ADDR=$(hostname) MASTER_PORT=29500).",
                [LaunchVariables.Rendezvous, LaunchVariables.MasterAddress, LaunchVariables.MasterPort]);
        }

        if (masterAddress is null || masterPort is null)
        {
            (string present, string missing) = masterAddress is null
                ? (LaunchVariables.MasterPort, LaunchVariables.MasterAddress)
                : (LaunchVariables.MasterAddress, LaunchVariables.MasterPort);
            throw new BootstrapException(
                $"{launcher.DisplayName}: {present} is set but {missing} is not; the rendezvous address needs both (or set {LaunchVariables.Rendezvous}=host:port).",
                [LaunchVariables.MasterAddress, LaunchVariables.MasterPort, LaunchVariables.Rendezvous]);
        }

        if (HostPort.TryParsePort(masterPort) is not { } port)
        {
            throw new BootstrapException($"{launcher.DisplayName}: {LaunchVariables.MasterPort}='{masterPort}' is not a port number (1-65535).", [LaunchVariables.MasterPort]);
        }

        // MASTER_ADDR is a bare host; accept an IPv6 address with or without brackets.
        string host = masterAddress.StartsWith('[') && masterAddress.EndsWith(']') ? masterAddress[1..^1] : masterAddress;
        return (host, port);
    }

    private static (string Host, int Port) ParseRendezvous(string address)
    {
        if (HostPort.TryParse(address, out string? error) is not { } parsed)
        {
            throw new BootstrapException($"{LaunchVariables.Rendezvous}='{address}' is not host:port: {error}.", [LaunchVariables.Rendezvous]);
        }

        return parsed;
    }

    private static string? ReadSecret(Func<string, string?> read)
    {
        if (read(LaunchVariables.Secret) is not { } secret)
        {
            return null;
        }

        // The value is never echoed: error messages end up in logs.
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(secret);
        }
        catch (FormatException)
        {
            throw new BootstrapException($"{LaunchVariables.Secret} is set but is not valid base64 (its value is not shown).", [LaunchVariables.Secret]);
        }

        if (bytes.Length < 16)
        {
            throw new BootstrapException($"{LaunchVariables.Secret} decodes to {bytes.Length} bytes; a job secret needs at least 16 (for example: openssl rand -base64 32).", [LaunchVariables.Secret]);
        }

        return secret;
    }

    /// <summary>
    /// The rendezvous port when the launcher names rank 0's host but no MASTER_PORT is given: one
    /// of 20000-39999 chosen by the job id, so every rank computes the same and two jobs whose
    /// rank 0 shares a node rarely collide; 29500 (torchrun's) when there is no job id.
    /// </summary>
    internal static int DerivedPort(string? jobId)
        => jobId is null ? 29500 : 20000 + (int)(System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(jobId))) % 20000);

    /// <summary>
    /// Every rank of one job sees the same rendezvous address and size, and two jobs running at
    /// the same time cannot share a rendezvous address, so this keeps concurrent jobs apart.
    /// </summary>
    private static string FallbackJobId(string launcher, string host, int port, int size)
        => $"{launcher}-{host}:{port}-n{size}";
}
