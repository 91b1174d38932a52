namespace Collectives.Transport.SharedMemory;

/// <summary>
/// Which machine (kernel) this process runs on: the host name plus the kernel's boot id, so two
/// machines that happen to share a name, or one machine before and after a reboot, differ.
/// Ranks with equal identities can share memory.
/// </summary>
internal static class HostIdentity
{
    private const string BootIdPath = "/proc/sys/kernel/random/boot_id";

    /// <summary>This process's host identity, <c>hostname/boot-id</c> (the boot id is empty where the kernel has none).</summary>
    public static string Current { get; } = $"{Environment.MachineName}/{ReadBootId()}";

    /// <summary>
    /// The machine (kernel) part of a host identity: its boot id, which containers and network
    /// namespaces on one machine share while their host names differ; the host name where the
    /// kernel has no boot id. Ranks of one machine share its processors.
    /// </summary>
    public static string MachineOf(string identity)
    {
        string[] parts = identity.Split('/');
        return parts.Length > 1 && parts[1].Length > 0 ? parts[1] : parts[0];
    }

    private static string ReadBootId()
    {
        try
        {
            return File.Exists(BootIdPath) ? File.ReadAllText(BootIdPath).Trim() : string.Empty;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
