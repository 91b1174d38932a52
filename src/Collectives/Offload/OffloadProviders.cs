using System.Reflection;
using Collectives.Bootstrap;

namespace Collectives.Offload;

/// <summary>
/// Finds the offload factory for a transport name in the offload assembly, so that
/// <c>collrun --transport nic</c> works for a program that references Collectives.Offload without
/// configuring it; Collectives itself never references that assembly. The user's program is the
/// one that gets the exceptions, so each says what to change: a reference, or the transport.
/// </summary>
internal static class OffloadProviders
{
    /// <summary>The assembly (and package) that holds the offload engines.</summary>
    public const string OffloadAssembly = "Collectives.Offload";

    /// <summary>The offload engine collrun's <c>--transport nic</c> asks for.</summary>
    private const string Nic = "nic";

    /// <summary>Creates the factory the offload assembly names for <paramref name="transportName"/>.</summary>
    /// <param name="transportName">A <c>COLLECTIVES_TRANSPORT</c> value that is not one of the transports.</param>
    /// <returns>The factory.</returns>
    /// <exception cref="NotSupportedException">The program does not reference the offload assembly, or it names no engine of that name.</exception>
    /// <exception cref="InvalidOperationException">The offload assembly names a factory that cannot be created.</exception>
    public static IOffloadEngineFactory Create(string transportName)
    {
        string name = transportName.Trim();
        Assembly assembly = Load(name);
        OffloadProviderAttribute[] providers = [.. assembly.GetCustomAttributes<OffloadProviderAttribute>()];
        OffloadProviderAttribute provider = providers.FirstOrDefault(attribute => attribute.TransportName.Equals(name, StringComparison.OrdinalIgnoreCase))
            ?? throw new NotSupportedException(
                $"{LaunchVariables.Transport}={name} is not a transport: use auto, shm or tcp, or an offload engine of {OffloadAssembly} "
                + $"({string.Join(", ", providers.Select(attribute => attribute.TransportName))}).");
        return Instantiate(provider, name);
    }

    private static Assembly Load(string name)
    {
        try
        {
            return Assembly.Load(new AssemblyName(OffloadAssembly));
        }
        catch (FileNotFoundException)
        {
            throw new NotSupportedException(name.Equals(Nic, StringComparison.OrdinalIgnoreCase)
                ? $"{LaunchVariables.Transport}={name} (collrun --transport nic) runs collectives on the offload NIC of the {OffloadAssembly} assembly, "
                    + $"which this program does not reference. Add it to the program (dotnet add package {OffloadAssembly}) and rebuild, "
                    + $"or run with {LaunchVariables.Transport}=auto, shm or tcp (collrun --transport auto, shm or tcp)."
                : $"{LaunchVariables.Transport}={name} is not a transport: use auto, shm or tcp, "
                    + $"or nic in a program that references {OffloadAssembly} (dotnet add package {OffloadAssembly}).");
        }
        catch (Exception exception) when (exception is FileLoadException or BadImageFormatException)
        {
            throw new NotSupportedException(
                $"{LaunchVariables.Transport}={name} needs the {OffloadAssembly} assembly, which this program references but the runtime could not load "
                + $"({exception.Message}); rebuild the program with {OffloadAssembly} {typeof(OffloadProviders).Assembly.GetName().Version} beside Collectives of the same version.",
                exception);
        }
    }

    private static IOffloadEngineFactory Instantiate(OffloadProviderAttribute provider, string name)
    {
        object? created;
        try
        {
            created = Activator.CreateInstance(provider.FactoryType);
        }
        catch (Exception exception) when (exception is MissingMethodException or MemberAccessException or TargetInvocationException or ArgumentException or NotSupportedException)
        {
            throw new InvalidOperationException(
                $"{OffloadAssembly} names {provider.FactoryType} as the offload engine for {LaunchVariables.Transport}={name}, but it could not be created: {exception.Message}",
                exception);
        }

        return created as IOffloadEngineFactory ?? throw new InvalidOperationException(
            $"{provider.FactoryType} named by {OffloadAssembly} for {LaunchVariables.Transport}={name} is not an {nameof(IOffloadEngineFactory)}.");
    }
}
